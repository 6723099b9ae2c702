"""Read back an ESC/POS stream we produced: the raster as an image, text lines, QR payloads.

Tests use it for round trips (bytes → image → QR decoder) and the fake network
printer uses it to find status queries at command boundaries, as a real printer's
parser does. It knows exactly the commands ``printer.escpos`` emits and rejects
anything else, so an encoder bug shows up as a parse error rather than a blur.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10
LINE_DOTS = 30  # default line spacing (ESC 2) in dots, for placing text lines on the canvas

# Fixed-length commands: prefix bytes → total length.
_FIXED = {
    (ESC, ord("@")): 2, (ESC, ord("a")): 3, (ESC, ord("E")): 3, (ESC, ord("J")): 3, (ESC, ord("d")): 3,
    (ESC, ord("2")): 2, (ESC, ord("3")): 3, (ESC, ord("!")): 3, (GS, ord("!")): 3, (GS, ord("P")): 4,
    (FS, ord("&")): 2, (FS, ord(".")): 2, (FS, ord("!")): 3, (DLE, 0x04): 3,
}


class ParseError(ValueError):
    pass


@dataclass
class Parsed:
    fragments: list[tuple[int, Image.Image]] = field(default_factory=list)  # (y, 1-bit image)
    lines: list[str] = field(default_factory=list)  # text-mode lines, decoded as GB18030
    raw_lines: list[bytes] = field(default_factory=list)
    line_scales: list[int] = field(default_factory=list)  # GS ! width multiplier of each line
    qr_payloads: list[bytes] = field(default_factory=list)
    qr_module_sizes: list[int] = field(default_factory=list)
    qr_ecc: list[int] = field(default_factory=list)
    status_queries: list[int] = field(default_factory=list)
    chinese_mode: bool = False
    cuts: int = 0
    height: int = 0
    fragment_count: int = 0

    def image(self, width: int | None = None) -> Image.Image:
        """All raster fragments pasted at their vertical positions (white paper, black ink)."""
        w = width or max((img.width for _y, img in self.fragments), default=8)
        canvas = Image.new("1", (w, max(self.height, 1)), 255)
        for y, img in self.fragments:
            canvas.paste(img, (0, y))
        return canvas


def _raster(width_bytes: int, height: int, data: bytes) -> Image.Image:
    """GS v 0 rows (1 = ink) → mode "1" image (0 = ink)."""
    ink = Image.frombytes("1", (width_bytes * 8, height), data)
    return ink.point(lambda v: 0 if v else 255).convert("1")


def parse(data: bytes, *, strict: bool = True) -> Parsed:
    out = Parsed()
    y = 0
    scale = 1
    line = bytearray()
    i = 0
    n = len(data)

    def flush_line() -> None:
        if line:
            out.raw_lines.append(bytes(line))
            out.line_scales.append(scale)
            out.lines.append(bytes(line).decode("gb18030"))
            line.clear()

    while i < n:
        b = data[i]
        if b in (ESC, GS, FS, DLE):
            if i + 1 >= n:
                raise ParseError(f"truncated command at {i}")
            key = (b, data[i + 1])
            if b == GS and data[i + 1] == ord("v"):
                if data[i + 2] != ord("0"):
                    raise ParseError(f"GS v {data[i + 2]} at {i}")
                xl, xh, yl, yh = data[i + 4:i + 8]
                wb, h = xl + 256 * xh, yl + 256 * yh
                body = data[i + 8:i + 8 + wb * h]
                if len(body) != wb * h:
                    raise ParseError(f"raster data truncated at {i}")
                out.fragments.append((y, _raster(wb, h, body)))
                out.fragment_count += 1
                y += h
                i += 8 + wb * h
                continue
            if b == GS and data[i + 1] == ord("("):
                if data[i + 2] != ord("k"):
                    raise ParseError(f"GS ( {chr(data[i + 2])} at {i}")
                length = data[i + 3] + 256 * data[i + 4]
                args = data[i + 5:i + 5 + length]
                cn, fn = args[0], args[1]
                if cn != 49:
                    raise ParseError(f"GS ( k cn={cn}")
                if fn == 80:  # store
                    out.qr_payloads.append(bytes(args[3:]))
                elif fn == 67:
                    out.qr_module_sizes.append(args[2])
                elif fn == 69:
                    out.qr_ecc.append(args[2])
                elif fn == 81:
                    y += 24  # printed height unknown here; keeps later lines below
                i += 5 + length
                continue
            if b == GS and data[i + 1] == ord("V"):
                m = data[i + 2]
                out.cuts += 1
                i += 4 if m in (65, 66) else 3
                continue
            total = _FIXED.get(key)
            if total is None:
                if strict:
                    raise ParseError(f"unknown command {bytes(data[i:i + 3])!r} at {i}")
                i += 1
                continue
            cmd = data[i:i + total]
            if key == (ESC, ord("J")):
                flush_line()
                y += cmd[2]
            elif key == (ESC, ord("d")):
                flush_line()
                y += cmd[2] * LINE_DOTS
            elif key == (GS, ord("!")):
                flush_line()
                scale = (cmd[2] >> 4) + 1
            elif key == (FS, ord("&")):
                out.chinese_mode = True
            elif key == (FS, ord(".")):
                out.chinese_mode = False
            elif key == (DLE, 0x04):
                out.status_queries.append(cmd[2])
            i += total
            continue
        if b == 0x0A:
            flush_line()
            y += LINE_DOTS
            i += 1
            continue
        line.append(b)
        i += 1
    flush_line()
    out.height = y
    return out


def command_length(data: bytes, i: int) -> int | None:
    """Length of the command (or plain byte) starting at ``i``; None if it is not complete yet."""
    n = len(data)
    b = data[i]
    if b not in (ESC, GS, FS, DLE):
        return 1
    if i + 1 >= n:
        return None
    if b == GS and data[i + 1] == ord("v"):
        if i + 8 > n:
            return None
        size = 8 + (data[i + 4] + 256 * data[i + 5]) * (data[i + 6] + 256 * data[i + 7])
    elif b == GS and data[i + 1] == ord("("):
        if i + 5 > n:
            return None
        size = 5 + data[i + 3] + 256 * data[i + 4]
    elif b == GS and data[i + 1] == ord("V"):
        if i + 3 > n:
            return None
        size = 4 if data[i + 2] in (65, 66) else 3
    else:
        size = _FIXED.get((b, data[i + 1]), 1)
    return size if i + size <= n else None


def commands_complete(data: bytes) -> int:
    """Length of the longest prefix of ``data`` made of whole commands (for streaming parsers)."""
    i = 0
    while i < len(data):
        size = command_length(data, i)
        if size is None:
            return i
        i += size
    return i
