"""Draw a layout into a crisp 1-bit image in the Simplified Chinese font.

Text is drawn straight onto a mode "1" image, so FreeType renders monochrome,
hinted glyphs: no grey, no dithering. That keeps strokes sharp on a 203 dpi head
and leaves long white runs, which the ESC/POS encoder turns into paper feeds
instead of image rows (see ``printer.escpos.raster_commands``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import zxingcpp
from PIL import Image, ImageDraw, ImageFont

from bianmin.fonts import font_path
from printer.layouts import QR, Block, Cut, Layout, Rule, Space, Text
from printer.wrap import wrap

WIDTHS = (384, 576)


@dataclass(frozen=True)
class Metrics:
    """Type sizes (pixels = dots) and QR module sizes for one paper width."""

    sizes: dict[str, int]
    margin: int
    qr_module: int  # preferred module size in dots
    qr_min_module: int  # below this an ordinary phone no longer reads the code


METRICS = {
    384: Metrics({"small": 22, "normal": 24, "large": 32, "xlarge": 40, "huge": 104}, 4, 5, 3),
    576: Metrics({"small": 26, "normal": 30, "large": 40, "xlarge": 52, "huge": 136}, 8, 7, 3),
}
LINE_GAP = 0.22  # of the type size, between wrapped lines
QUIET_MODULES = 4  # QR quiet zone required by ISO/IEC 18004


def check_width(width: int) -> int:
    if width not in METRICS:
        from printer.errors import PrinterError

        raise PrinterError("printer.error.bad_width", width=width)
    return width


@cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(bold=bold)), size)


@cache
def _advance(size: int, bold: bool, ch: str) -> float:
    return font(size, bold).getlength(ch)


@cache
def _glyph(size: int, bold: bool, ch: str) -> tuple[Image.Image | None, int, int]:
    """One character rendered once (monochrome, hinted) with its offset from the pen at the
    baseline. Pasting cached glyphs is several times faster than FreeType per line, and a
    slip reuses the same few hundred characters all day."""
    f = font(size, bold)
    x0, y0, x1, y1 = f.getbbox(ch, anchor="ls")
    if x1 <= x0 or y1 <= y0:
        return None, 0, 0
    mask = Image.new("1", (x1 - x0, y1 - y0), 0)
    ImageDraw.Draw(mask).text((-x0, -y0), ch, font=f, fill=1, anchor="ls")
    return mask, x0, y0


def draw_text(img: Image.Image, x: float, baseline: int, text: str, size: int, bold: bool) -> None:
    for ch in text:
        mask, dx, dy = _glyph(size, bold, ch)
        if mask is not None:
            img.paste(0, (round(x) + dx, baseline + dy), mask)
        x += _advance(size, bold, ch)


def measure(text: str, size: int, bold: bool = False) -> float:
    """Width in dots as the sum of advances (cached per character: wrapping is hot)."""
    return sum(_advance(size, bold, ch) for ch in text)


@lru_cache(maxsize=16)  # the renderer and the text encoder ask twice for the same slip
def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...] | None:
    """QR modules (True = dark) at error correction M, in byte mode as a text-mode printer
    encodes it; None when the payload does not fit any QR version.

    zxing-cpp's C++ encoder is ~40x faster than the pure-Python qrcode package (whose
    mask selection alone took 20 ms per receipt).
    """
    try:
        code = zxingcpp.create_barcode(data.encode("utf-8"), zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    except ValueError:
        return None
    view = memoryview(zxingcpp.write_barcode_to_image(code, scale=1, add_quiet_zones=False))
    n = view.shape[0]
    pixels = view.tobytes()
    return tuple(tuple(pixels[r * n + c] < 128 for c in range(n)) for r in range(n))


def qr_module_size(modules: int, width: int) -> int | None:
    """Largest module size up to the preferred one that keeps the quiet zone on the paper;
    None when even the minimum readable size is too wide."""
    m = METRICS[width]
    fit = (width - 2 * m.margin) // (modules + 2 * QUIET_MODULES)
    size = min(m.qr_module, fit)
    return size if size >= m.qr_min_module else None


@dataclass
class _Op:
    kind: str  # text | rule | qr
    y: int
    x: int = 0
    text: str = ""
    size: int = 0
    bold: bool = False
    dashed: bool = False
    matrix: tuple[tuple[bool, ...], ...] | None = None
    module: int = 0


class _Composer:
    """First pass: wrap and place every block; second pass draws (height known)."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.m = METRICS[check_width(width)]
        self.y = self.m.margin
        self.ops: list[_Op] = []

    @property
    def inner(self) -> int:
        return self.width - 2 * self.m.margin

    def text(self, block: Text) -> None:
        size = self.m.sizes[block.size]
        bold = block.bold

        def meas(s: str) -> float:
            return measure(s, size, bold)

        pw = meas(block.prefix)
        hanging = pw if pw <= self.inner * 0.4 else 0.0
        lines = wrap(block.text, self.inner, meas, first_indent=pw, hanging_indent=hanging)
        line_h = round(size * (1 + LINE_GAP))
        for i, line in enumerate(lines):
            if block.align == "center":
                x = self.m.margin + max(0, round((self.inner - meas(line)) / 2))
            else:
                x = self.m.margin + round(pw if i == 0 else hanging)
            if i == 0 and block.prefix:
                self.ops.append(_Op("text", self.y, self.m.margin, block.prefix, size, bold))
            self.ops.append(_Op("text", self.y, x, line, size, bold))
            self.y += line_h

    def rule(self, block: Rule) -> None:
        self.y += 6
        self.ops.append(_Op("rule", self.y, dashed=block.dashed))
        self.y += 8

    def space(self, block: Space) -> None:
        self.y += round(self.m.sizes["normal"] * block.lines)

    def qr(self, block: QR) -> None:
        matrix = qr_matrix(block.data)
        module = qr_module_size(len(matrix), self.width) if matrix else None
        if matrix is None or module is None:
            self.text(Text(block.fallback, size="small", bold=True, align="center"))
            return
        side = len(matrix) * module
        self.y += QUIET_MODULES * module
        self.ops.append(_Op("qr", self.y, (self.width - side) // 2, matrix=matrix, module=module))
        self.y += side + QUIET_MODULES * module

    def add(self, block: Block) -> None:
        if isinstance(block, Text):
            self.text(block)
        elif isinstance(block, Rule):
            self.rule(block)
        elif isinstance(block, Space):
            self.space(block)
        elif isinstance(block, QR):
            self.qr(block)
        elif isinstance(block, Cut):
            pass  # the encoder feeds and cuts; nothing to draw

    def draw(self) -> Image.Image:
        height = self.y + self.m.margin
        img = Image.new("1", (self.width, height), 255)
        draw = ImageDraw.Draw(img)
        for op in self.ops:
            if op.kind == "text":
                baseline = op.y + round(op.size * 0.88)
                draw_text(img, op.x, baseline, op.text, op.size, op.bold)
            elif op.kind == "rule":
                x0, x1 = self.m.margin, self.width - self.m.margin - 1
                if op.dashed:
                    for x in range(x0, x1, 12):
                        draw.rectangle((x, op.y, min(x + 7, x1), op.y + 1), fill=0)
                else:
                    draw.rectangle((x0, op.y, x1, op.y + 1), fill=0)
            elif op.kind == "qr" and op.matrix is not None:
                n = len(op.matrix)
                qr_img = Image.frombytes("L", (n, n), bytes(0 if cell else 255 for row in op.matrix for cell in row))
                qr_img = qr_img.resize((n * op.module, n * op.module), Image.Resampling.NEAREST)
                img.paste(qr_img, (op.x, op.y))
        return img


def render_layout(layout: Layout, width: int) -> Image.Image:
    """The slip as a 1-bit image exactly ``width`` dots wide (mode "1", 0 = ink)."""
    composer = _Composer(width)
    for block in layout.blocks:
        composer.add(block)
    return composer.draw()
