"""The pinyin keyboard refills its candidate keys instead of making new ones per letter (issue 20)."""

from __future__ import annotations

import pytest

from tests.kiosk.harness import pump, record_new_widgets

pytestmark = pytest.mark.ui


def test_typing_pinyin_creates_no_widgets(app, monkeypatch):
    from kiosk.pinyin_keyboard import PinyinKeyboard

    keyboard = PinyinKeyboard()
    pump(2)
    for letter in "wangxiaoming":  # the first word fills the candidate bar once
        keyboard.press(letter)
    keyboard.press("clear")
    created = record_new_widgets(monkeypatch)
    for letter in "lihua":
        keyboard.press(letter)
    shown = [b.text for b in keyboard.ids.candidate_bar.children]
    assert shown and all(shown), "candidates for lihua are shown"
    keyboard.choose(keyboard.candidates[0])
    for letter in "zhangsan":
        keyboard.press(letter)
    keyboard.press("next")
    keyboard.press("backspace")
    assert created == [], f"{len(created)} widgets created while typing, e.g. {created[:5]}"
    assert keyboard.text
