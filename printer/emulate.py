"""Draw what a text-mode ESC/POS printer would print, for ``preview://`` in text mode.

An approximation of a printer with a 12x24 / 24x24 Chinese font: it follows the
commands we emit (alignment, bold, ``GS !`` sizes, feeds, ``GS v 0`` lines and the
native QR code) so an installer without a printer sees the text-mode slip's lines,
wrapping and sizes rather than the raster layout.
"""

from __future__ import annotations

from PIL import Image

from printer.decode import DLE, ESC, FS, GS, command_length
from printer.raster import draw_text, measure, qr_matrix
from printer.wrap import text_columns

LINE_GAP = 6  # dots between 24-dot lines (ESC 2 default spacing is about 30 dots)


def emulate(data: bytes, width: int) -> Image.Image:
    canvas = Image.new("1", (width, 8000), 255)
    y = 0
    align = 0
    bold = False
    scale = 1
    module = 3
    qr_data = b""
    line = bytearray()

    def flush() -> None:
        nonlocal y
        text = bytes(line).decode("gb18030", errors="replace")
        line.clear()
        size = 24 * scale
        if text:
            # The printer's fonts are fixed-pitch: 12 dots for ASCII, 24 for everything else.
            x = (width - text_columns(text) * 12 * scale) / 2 if align == 1 else 0
            baseline = y + round(size * 0.88)
            for ch in text:
                if ord(ch) < 0x80:
                    small = 20 * scale
                    draw_text(canvas, x + (12 * scale - measure(ch, small, bold)) / 2, baseline, ch, small, bold)
                    x += 12 * scale
                else:
                    draw_text(canvas, x, baseline, ch, size, bold)
                    x += 24 * scale
        y += size + LINE_GAP

    i = 0
    while i < len(data) and y < canvas.height - 400:
        size = command_length(data, i)
        if size is None:
            break
        b = data[i]
        if b not in (ESC, GS, FS, DLE):
            if b == 0x0A:
                flush()
            else:
                line.append(b)
            i += 1
            continue
        cmd = data[i:i + size]
        key = (b, cmd[1])
        if key == (ESC, ord("a")):
            align = cmd[2]
        elif key == (ESC, ord("E")):
            bold = bool(cmd[2])
        elif key == (GS, ord("!")):
            scale = (cmd[2] >> 4) + 1
        elif key == (ESC, ord("J")):
            y += cmd[2]
        elif key == (ESC, ord("d")):
            y += cmd[2] * (24 + LINE_GAP)
        elif key == (GS, ord("v")):
            wb, h = cmd[4] + 256 * cmd[5], cmd[6] + 256 * cmd[7]
            ink = Image.frombytes("1", (wb * 8, h), cmd[8:])
            canvas.paste(0, (0, y), ink)
            y += h
        elif key == (GS, ord("(")):
            fn = cmd[6]
            if fn == 67:
                module = cmd[7]
            elif fn == 80:
                qr_data = cmd[8:]
            elif fn == 81 and qr_data:
                matrix = qr_matrix(qr_data.decode("utf-8", errors="replace"))
                if matrix:
                    n = len(matrix)
                    qr = Image.frombytes("L", (n, n), bytes(0 if c else 255 for row in matrix for c in row))
                    qr = qr.resize((n * module, n * module), Image.Resampling.NEAREST).convert("1")
                    x = (width - qr.width) // 2 if align == 1 else 0
                    canvas.paste(qr, (x, y))
                    y += qr.height
                    # the LF after the print command moves below the code, not a full line
                    if i + size < len(data) and data[i + size] == 0x0A:
                        i += 1
        i += size
    if line:
        flush()
    return canvas.crop((0, 0, width, max(y, 1)))
