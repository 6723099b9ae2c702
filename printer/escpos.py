"""ESC/POS bytes for both output modes, written out by hand on purpose.

python-escpos 3.1 gets several things wrong for Chinese slips, so we only borrow
its constants and build the byte stream ourselves:

* Raster: ``GS v 0`` in fragments of at most ``FRAGMENT_ROWS`` rows. Each
  fragment is only as wide as its rightmost inked byte and white stretches go as
  1-byte-wide fragments, which cuts a receipt to a fraction of a full bitmap while
  staying exact on every printer (no reliance on ``ESC J`` motion units, which
  differ between makes). We never use ``image(impl="graphics")`` (its 16-bit
  length overflows above 65,535 bytes) nor printer-side centring of tall images
  (a black bar on many printers): centring is baked into the pixels.
* Text: Chinese mode on with ``FS &`` and every string encoded with gb18030 by us
  (python-escpos' MagicEncode only switches to GB18030 when a string holds an
  ideograph in U+4E00–U+9FA5, so "：" or "¥12.50" alone come out as garbage, and it
  never sends ``FS &``). Sizes with ``GS !``; QR codes natively with ``GS ( k`` at
  error correction M, a module size that keeps a 4-module quiet zone on the paper.
"""

from __future__ import annotations

from escpos.constants import DLE, ESC, FS, GS, HW_INIT
from PIL import Image

from printer.layouts import QR, Cut, Layout, Rule, Space, Text
from printer.raster import (
    METRICS,
    QUIET_MODULES,
    check_width,
    draw_text,
    measure,
    qr_matrix,
    qr_module_size,
)
from printer.wrap import text_columns, wrap

FRAGMENT_ROWS = 128  # rows per GS v 0 command: bounded for small printer buffers
ALIGN_LEFT = ESC + b"a\x00"
ALIGN_CENTER = ESC + b"a\x01"
CHINESE_ON = FS + b"&"
BOLD_ON = ESC + b"E\x01"
BOLD_OFF = ESC + b"E\x00"
FEED_AND_CUT = ESC + b"d\x04" + GS + b"VB\x00"  # feed 4 lines, partial cut (ignored without cutter)
STATUS_QUERIES = (DLE + b"\x04\x01", DLE + b"\x04\x02", DLE + b"\x04\x04")

# Columns of the built-in 12x24 font (a Chinese character takes two).
TEXT_COLUMNS = {384: 32, 576: 48}
# GS ! magnification (width, height) per layout size and paper width.
TEXT_SIZES = {
    384: {"small": (1, 1), "normal": (1, 1), "large": (2, 2), "xlarge": (2, 2), "huge": (4, 4)},
    576: {"small": (1, 1), "normal": (1, 1), "large": (2, 2), "xlarge": (2, 2), "huge": (6, 6)},
}


def feed_dots(n: int) -> bytes:
    out = b""
    while n > 0:
        step = min(n, 255)
        out += ESC + b"J" + bytes([step])
        n -= step
    return out


# ----- raster ---------------------------------------------------------------------------

_INVERT = bytes(255 - i for i in range(256))


def _packed_rows(img: Image.Image) -> tuple[int, list[bytes]]:
    """Rows of the image packed MSB-first with 1 = ink (ESC/POS convention)."""
    if img.mode != "1":
        img = img.convert("1")
    row_bytes = (img.width + 7) // 8
    data = img.tobytes().translate(_INVERT)  # mode "1" packs 1 for white; ESC/POS wants 1 for ink
    rows = [data[i * row_bytes:(i + 1) * row_bytes] for i in range(img.height)]
    pad = row_bytes * 8 - img.width
    if pad:  # the padding bits were white, now "ink": clear them
        keep = (0xFF << pad) & 0xFF
        rows = [r[:-1] + bytes([r[-1] & keep]) for r in rows]
    return row_bytes, rows


def _fragment(rows: list[bytes], width_bytes: int) -> bytes:
    body = b"".join(r[:width_bytes].ljust(width_bytes, b"\0") for r in rows)
    h = len(rows)
    return GS + b"v0\x00" + bytes([width_bytes & 0xFF, width_bytes >> 8, h & 0xFF, h >> 8]) + body


def raster_commands(img: Image.Image) -> bytes:
    """``GS v 0`` fragments for a mode "1" image (0 = ink), trimmed on the right."""
    _, rows = _packed_rows(img)
    used = [len(r.rstrip(b"\0")) for r in rows]
    out = bytearray()
    i = 0
    while i < len(rows):
        j = i
        if used[i] == 0:
            while j < len(rows) and used[j] == 0 and j - i < FRAGMENT_ROWS:
                j += 1
            out += _fragment(rows[i:j], 1)
        else:
            while j < len(rows) and used[j] > 0 and j - i < FRAGMENT_ROWS:
                j += 1
            out += _fragment(rows[i:j], max(used[i:j]))
        i = j
    return bytes(out)


def raster_job(img: Image.Image, cut: bool = True) -> bytes:
    return HW_INIT + ALIGN_LEFT + raster_commands(img) + (FEED_AND_CUT if cut else b"")


# ----- text mode ------------------------------------------------------------------------

def encode_text(text: str) -> bytes:
    """GB18030 for the printer's Chinese font (full-width punctuation and ¥ included)."""
    return text.encode("gb18030", errors="replace")


def size_command(w: int, h: int) -> bytes:
    return GS + b"!" + bytes([((w - 1) << 4) | (h - 1)])


def qr_commands(data: str, module: int) -> bytes:
    """Native QR: model 2, module size, error correction M, store, print."""
    payload = data.encode("utf-8")
    store_len = len(payload) + 3
    return (
        GS + b"(k\x04\x001A2\x00"  # fn 165: model 2
        + GS + b"(k\x03\x001C" + bytes([module])  # fn 167: module size
        + GS + b"(k\x03\x001E1"  # fn 169: error correction M (49)
        + GS + b"(k" + bytes([store_len & 0xFF, store_len >> 8]) + b"1P0" + payload  # fn 180: store
        + GS + b"(k\x03\x001Q0"  # fn 181: print
    )


def fits_two_byte_font(text: str) -> bool:
    """True if every character has a 1- or 2-byte GB18030 code (the GBK range most printer
    fonts carry); Mongolian script, rare ideographs and ¥ need 4 bytes."""
    return all(ord(ch) < 0x80 or len(ch.encode("gb18030", errors="replace")) <= 2 for ch in text)


def _line_raster(text: str, width: int, scale: int, bold: bool, center: bool) -> bytes:
    """One text line drawn in the SC font at the printer font's size, as GS v 0 rows."""
    size = 24 * scale
    wide = measure(text, size, bold)
    if wide > width:
        size = max(12, int(size * width / wide))
        wide = measure(text, size, bold)
    img = Image.new("1", (width, round(size * 1.25)), 255)
    x = (width - wide) / 2 if center else 0
    draw_text(img, x, round(size * 1.0), text, size, bold)
    return raster_commands(img)


def text_job(layout: Layout, width: int, gbk_only: bool = False) -> bytes:
    """The slip as GB18030 text with native QR codes (printers with a Chinese font).

    ``gbk_only``: the printer's font has only the 2-byte (GBK) range, so a line holding any
    character beyond it (a Mongolian-script name, a rare ideograph) is sent as a raster
    line instead of printing as garbage.
    """
    width = check_width(width)
    columns = TEXT_COLUMNS[width]
    out = bytearray(HW_INIT + CHINESE_ON + ESC + b"2" + ALIGN_LEFT)
    for block in layout.blocks:
        if isinstance(block, Text):
            mw, mh = TEXT_SIZES[width][block.size]
            # One column short of full: many printers auto-feed on a full line and then
            # print our LF as an extra blank line.
            room = (columns - 1) // mw
            pw = text_columns(block.prefix)
            hanging = pw if pw <= room * 0.4 else 0
            lines = wrap(block.text, room, text_columns, first_indent=pw, hanging_indent=hanging)
            out += ALIGN_CENTER if block.align == "center" else ALIGN_LEFT
            out += size_command(mw, mh) + (BOLD_ON if block.bold else b"")
            for i, line in enumerate(lines):
                lead = block.prefix if i == 0 else " " * hanging
                if gbk_only and not fits_two_byte_font(lead + line):
                    out += ALIGN_LEFT + _line_raster(lead + line, width, mw, block.bold, block.align == "center")
                    out += ALIGN_CENTER if block.align == "center" else ALIGN_LEFT
                    continue
                out += encode_text(lead + line) + b"\n"
            out += (BOLD_OFF if block.bold else b"") + size_command(1, 1) + ALIGN_LEFT
        elif isinstance(block, Rule):
            out += (b"- " * (columns // 2) if block.dashed else b"-" * columns)[: columns - 1] + b"\n"
        elif isinstance(block, Space):
            out += feed_dots(round(24 * block.lines))
        elif isinstance(block, QR):
            matrix = qr_matrix(block.data)
            module = qr_module_size(len(matrix), width) if matrix else None
            if matrix is None or module is None:
                out += ALIGN_CENTER + BOLD_ON
                for line in wrap(block.fallback, columns - 1, text_columns):
                    out += encode_text(line) + b"\n"
                out += BOLD_OFF + ALIGN_LEFT
                continue
            quiet = QUIET_MODULES * module
            out += feed_dots(quiet) + ALIGN_CENTER + qr_commands(block.data, module) + b"\n"
            out += ALIGN_LEFT + feed_dots(quiet)
        elif isinstance(block, Cut):
            out += FEED_AND_CUT
    return bytes(out)


__all__ = [
    "FRAGMENT_ROWS", "METRICS", "STATUS_QUERIES", "TEXT_COLUMNS", "encode_text", "feed_dots",
    "qr_commands", "raster_commands", "raster_job", "text_job",
]
