"""Round trips: parse the bytes we send, decode the QR from the printed raster, read the text."""

from __future__ import annotations

import dataclasses

import pytest
import zxingcpp

from printer.decode import parse
from printer.escpos import FRAGMENT_ROWS, raster_job, text_job
from printer.layouts import QR, Layout, Text, layout_for
from printer.raster import render_layout
from printer.samples import sample, sample_receipt, sample_url
from printer.send import render_bytes

WIDTHS = (384, 576)


def qr_texts(image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image.convert("L")) if r.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.mark.parametrize("width", WIDTHS)
def test_raster_bytes_rebuild_the_image_and_the_qr_reads(width: int) -> None:
    image = render_layout(layout_for(sample_receipt()), width)
    data = raster_job(image)
    parsed = parse(data)
    rebuilt = parsed.image(width).crop((0, 0, width, image.height))
    assert parsed.height > image.height  # the feed before the cut comes after the image
    assert rebuilt.tobytes() == image.tobytes()
    assert qr_texts(rebuilt) == [sample_url()]
    assert parsed.cuts == 1


def test_raster_fragments_are_bounded_and_white_is_cheap() -> None:
    image = render_layout(layout_for(sample("guide")), 576)
    data = raster_job(image)
    parsed = parse(data)
    assert parsed.fragment_count > 1
    assert all(img.height <= FRAGMENT_ROWS for _y, img in parsed.fragments)
    assert max(img.width for _y, img in parsed.fragments) <= 576
    assert len(data) < 576 // 8 * image.height * 0.75  # far below a full bitmap


def test_tall_image_never_uses_graphics_or_printer_centring() -> None:
    tall = Layout("t", tuple(Text(f"很长的单据第{i}行") for i in range(400)))
    data = raster_job(render_layout(tall, 384))
    assert len(data) > 65_535  # a size python-escpos' impl="graphics" corrupts
    assert b"\x1d(L" not in data and b"\x1b\x61\x01" not in data
    image = render_layout(tall, 384)
    rebuilt = parse(data).image(384).crop((0, 0, 384, image.height))
    assert rebuilt.tobytes() == image.tobytes()


@pytest.mark.parametrize("width", WIDTHS)
def test_text_mode_qr_is_native_and_stores_the_url(width: int) -> None:
    parsed = parse(render_bytes(sample_receipt(), width, "text"))
    assert parsed.chinese_mode
    assert parsed.qr_payloads == [sample_url().encode()]
    assert parsed.qr_ecc == [49]  # error correction M
    assert 3 <= parsed.qr_module_sizes[0] <= 8


def test_text_mode_is_gb18030_with_full_width_punctuation_and_yen() -> None:
    slip = dataclasses.replace(sample("guide"), fees="工本费：¥12.50（￥5）；“免费”！")
    data = render_bytes(slip, 384, "text")
    assert data.startswith(b"\x1b@\x1c&")  # reset, then Chinese mode on before any text
    parsed = parse(data)
    text = "".join(line.strip() for line in parsed.lines)
    assert "工本费：¥12.50（￥5）；“免费”！" in text
    assert "¥".encode("gb18030") in data and "：".encode("gb18030") in data
    # A line of punctuation only (no ideograph) is still GB18030, not a code page.
    only_punct = render_bytes(dataclasses.replace(slip, fees="：；！"), 384, "text")
    assert "：；！".encode("gb18030") in only_punct


@pytest.mark.parametrize("width,columns", [(384, 32), (576, 48)])
def test_text_mode_lines_fit_the_columns(width: int, columns: int) -> None:
    for kind in ("ticket", "receipt", "notice", "guide"):
        parsed = parse(render_bytes(sample(kind), width, "text"))
        assert len(parsed.line_scales) == len(parsed.raw_lines)
        for raw, scale in zip(parsed.raw_lines, parsed.line_scales, strict=True):
            # 2 bytes per CJK = 2 columns; GS ! multiplies; one column kept free (no auto-feed).
            assert len(raw) * scale < columns, raw.decode("gb18030")
        assert max(parsed.line_scales) > 1  # titles and numbers are enlarged


def test_ticket_text_mode_is_small() -> None:
    assert len(render_bytes(sample("ticket"), 384, "text")) <= 1024


def test_oversized_qr_payload_falls_back_to_a_clear_line() -> None:
    layout = Layout("x", (QR("x" * 4096, "二维码内容过长无法打印"),))
    for width in WIDTHS:
        image = render_layout(layout, width)
        assert image.width == width and qr_texts(image) == []
        parsed = parse(text_job(layout, width))
        assert parsed.qr_payloads == []
        assert "二维码内容过长无法打印" in "".join(parsed.lines)


def test_dense_qr_shrinks_modules_and_stays_readable() -> None:
    payload = "https://bianmin.example.cn/t/" + "A" * 300
    layout = Layout("x", (QR(payload, "fallback"),))
    for width in WIDTHS:
        image = render_layout(layout, width)
        assert qr_texts(image) == [payload]


def test_gbk_only_printer_gets_rare_characters_as_a_raster_line() -> None:
    name = "㐀¥"  # CJK Ext A and ¥ have 4-byte GB18030 codes, absent from GBK printer fonts
    slip = dataclasses.replace(sample("guide"), office=f"{name} 苏木人民政府")
    plain = parse(render_bytes(slip, 384, "text"))
    assert any(name in line for line in plain.lines) and plain.fragment_count == 0
    hybrid = parse(render_bytes(slip, 384, "text", gbk_only=True))
    assert not any(name in line for line in hybrid.lines)
    assert hybrid.fragment_count >= 1  # that one line went as an image
    assert hybrid.image(384).convert("L").getextrema()[0] == 0  # with ink on it
    assert any("办理地点" in line for line in hybrid.lines)  # the other lines stay text


def test_printer_package_never_imports_kivy() -> None:
    import subprocess
    import sys

    code = ("import sys, printer.service, printer.commands, printer.escpos, printer.links; "
            "sys.exit(1 if any(m == 'kivy' or m.startswith('kivy.') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
