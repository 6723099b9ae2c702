"""Chinese line wrapping: whole characters, no punctuation starting a line, long runs split."""

from __future__ import annotations

import pytest

from printer.raster import measure
from printer.wrap import NO_END, NO_START, text_columns, wrap

TEXTS = [
    "材料齐全受理后 5 个工作日内办结（预计 12月2日）。请妥善保管本回执，凭查询码查询。",
    "城乡居民基本养老保险待遇领取资格认证，“一次性告知”，《村规民约》……￥12.50、¥3！",
    "http://127.0.0.1:8000/t/q7Zp3mW9xK2vR8tL5nH1cA?ref=slip&lang=zh_CN",
    "王" * 200,
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 8,
]


@pytest.mark.parametrize("width", [7, 10, 16, 31])
@pytest.mark.parametrize("text", TEXTS)
def test_columns_fit_and_nothing_is_lost(text: str, width: int) -> None:
    lines = wrap(text, width, text_columns)
    assert all(text_columns(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    if width < 10:
        return  # "约》……" alone is 8 columns: at 7 there is no legal break left
    for line in lines[1:]:
        assert line[:1] not in NO_START, lines
    for line in lines[:-1]:
        assert line[-1:] not in NO_END, lines


def test_punctuation_moves_with_the_previous_character() -> None:
    # "请带好身份证。" needs 14 columns of 13: "证" goes down with its "。".
    lines = wrap("请带好身份证。谢谢", 13, text_columns)
    assert lines == ["请带好身份", "证。谢谢"]


def test_opening_bracket_never_ends_a_line() -> None:
    lines = wrap("一二三四五（预计）", 12, text_columns)
    assert lines[0] == "一二三四五"
    assert lines[1].startswith("（预")


def test_number_stays_with_its_measure_word() -> None:
    lines = wrap("复印件甲乙1份", 12, text_columns)
    assert lines == ["复印件甲乙", "1份"]


def test_url_breaks_after_separators() -> None:
    lines = wrap("http://example.org/t/abcdefghijklmnop", 20, text_columns)
    assert lines[0].endswith("/")
    assert "".join(lines) == "http://example.org/t/abcdefghijklmnop"


def test_words_wrap_at_spaces_and_lose_edge_spaces() -> None:
    assert wrap("Keep this receipt safe please", 12, text_columns) == ["Keep this", "receipt safe", "please"]


def test_prefix_indents() -> None:
    lines = wrap("城乡居民基本养老保险待遇领取资格认证", 32, text_columns, first_indent=10, hanging_indent=10)
    assert all(text_columns(line) <= 22 for line in lines)


def test_pixel_measure_fits_raster_width() -> None:
    text = TEXTS[1] * 3
    for line in wrap(text, 376, lambda s: measure(s, 24)):
        assert measure(line, 24) <= 376
