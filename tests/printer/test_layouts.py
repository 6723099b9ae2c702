"""Slip content: what each layout says, masking, no ID numbers, long names and payloads."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageChops

from bianmin.domain.tracking import format_short_code
from printer.decode import parse
from printer.layouts import Text, layout_for, layout_text, scrub_id_numbers
from printer.raster import METRICS, measure, render_layout
from printer.samples import SAMPLE_CODE, sample, sample_receipt, sample_url
from printer.send import render_bytes
from printer.slips import ReceiptSlip

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("BIANMIN_REGEN_GOLDEN") == "1"  # BIANMIN_REGEN_GOLDEN=1 pytest tests/printer
KINDS = ("ticket", "receipt", "notice", "guide")


def test_receipt_masks_name_and_phone_and_has_the_code_and_promise() -> None:
    text = layout_text(layout_for(sample_receipt()))
    assert "王*英" in text and "王秀英" not in text
    assert "138****3456" in text and "13847123456" not in text
    assert format_short_code(SAMPLE_CODE) in text
    assert "材料齐全受理后 5 个工作日内办结（预计 12月2日）" in text
    assert "其其格" in text and "0471-12345" in text
    assert "近期免冠一寸照片" in text and "居民身份证" in text
    assert f"[QR {sample_url()}]" in text


def test_no_id_number_reaches_paper() -> None:
    assert not any("id" in f.name.lower().split("_") for f in dataclasses.fields(ReceiptSlip))
    slip = dataclasses.replace(sample_receipt(), materials_handed_in=["身份证 152104199003154321 复印件"],
                               agent_on_duty="其其格 11010519491231002X")
    for mode in ("text", "raster"):
        data = render_bytes(slip, 384, mode)
        assert b"152104199003154321" not in data and "152104199003154321".encode("gb18030") not in data
    text = layout_text(layout_for(slip))
    assert "152104199003154321" not in text and "11010519491231002X" not in text
    assert scrub_id_numbers("13847123456") == "13847123456"  # phones are not ID numbers


def test_ticket_says_number_line_wait_and_missed_rule() -> None:
    layout = layout_for(sample("ticket"))
    text = layout_text(layout)
    for words in ("B012", "社保民政", "您前面还有 3 人", "预计等候约 15 分钟", "过号请重新取号", "巴彦嘎查便民服务室"):
        assert words in text
    number = next(b for b in layout.blocks if isinstance(b, Text) and b.text == "B012")
    assert number.size == "huge"


def test_notice_marks_missing_materials_with_counts_and_where_to_go() -> None:
    text = layout_text(layout_for(sample("notice")))
    assert "近期免冠一寸照片 原件2份 【缺】" in text
    assert "居民身份证 原件1份 复印件1份" in text and "居民身份证 原件1份 复印件1份 【缺】" not in text
    assert "您还缺少 2 项材料" in text
    assert "本村不能办理，请到：" in text and "便民服务中心民政窗口" in text


def test_english_slip_comes_from_the_translations() -> None:
    text = layout_text(layout_for(sample("ticket"), "en"))
    assert "3 people ahead of you" in text and "Take a new number" in text


@pytest.mark.parametrize("width", [384, 576])
@pytest.mark.parametrize("mode", ["raster", "text"])
def test_200_character_item_name_wraps_within_the_paper(width: int, mode: str) -> None:
    long_name = ("内蒙古自治区土默特左旗巴彦苏木巴彦嘎查城乡居民基本养老保险待遇领取资格认证及"
                 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789（含）") * 4
    long_name = long_name[:200]
    slip = dataclasses.replace(sample_receipt(), item_name=long_name, applicant_name="乌力吉巴雅尔图门德力格尔")
    layout = layout_for(slip)
    if mode == "raster":
        image = render_layout(layout, width)
        assert image.width == width
        m = METRICS[width]
        # Nothing drawn in the side margins: no glyph was cut or pushed off the paper.
        side = image.crop((width - m.margin, 0, width, image.height))
        assert ImageChops.invert(side.convert("L")).getbbox() is None
        for line in layout_text(layout).splitlines():
            assert line  # every block has text
        codes = zxingcpp.read_barcodes(image.convert("L"))
        assert [c.text for c in codes] == [sample_url()]
    else:
        parsed = parse(render_bytes(slip, width, "text"))
        joined = "".join(line.strip() for line in parsed.lines)
        assert long_name.replace(" ", "") in joined.replace(" ", "")


def test_4kb_qr_payload_prints_the_short_code_instead() -> None:
    slip = dataclasses.replace(sample_receipt(), tracking_url="https://x.cn/t/" + "a" * 4096)
    for width in (384, 576):
        image = render_layout(layout_for(slip), width)
        assert image.width == width
        assert zxingcpp.read_barcodes(image.convert("L")) == []
        text = "".join(parse(render_bytes(slip, width, "text")).lines)
        assert "二维码内容过长无法打印" in text and format_short_code(SAMPLE_CODE) in text


def test_raster_text_never_overflows_its_line() -> None:
    for kind in KINDS:
        for width in (384, 576):
            m = METRICS[width]
            layout = layout_for(sample(kind))
            for block in layout.blocks:
                if isinstance(block, Text):
                    size = m.sizes[block.size]
                    assert measure(block.prefix, size, block.bold) < width


def _compare(image: Image.Image, golden: Path) -> float:
    """Fraction of differing pixels (heights may differ by a few rows between FreeType builds)."""
    ref = Image.open(golden).convert("1")
    assert ref.width == image.width
    assert abs(ref.height - image.height) <= max(8, ref.height // 50), (ref.height, image.height)
    h = min(ref.height, image.height)
    diff = ImageChops.difference(ref.crop((0, 0, ref.width, h)).convert("L"), image.crop((0, 0, ref.width, h)).convert("L"))
    return sum(1 for v in diff.tobytes() if v) / (ref.width * h)


@pytest.mark.parametrize("width", [384, 576])
@pytest.mark.parametrize("kind", KINDS)
def test_layout_matches_golden_image(kind: str, width: int) -> None:
    image = render_layout(layout_for(sample(kind)), width)
    golden = GOLDEN / f"{kind}-{width}.png"
    if REGENERATE or not golden.exists():
        if not REGENERATE:
            pytest.fail(f"missing golden {golden.name}: run with BIANMIN_REGEN_GOLDEN=1")
        GOLDEN.mkdir(exist_ok=True)
        image.save(golden, optimize=True)
    assert _compare(image, golden) <= 0.01
