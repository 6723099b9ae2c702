"""The kiosk shell: kiosk mode, language switch, 大字 mode, idle timeout."""

from __future__ import annotations

import pytest
from kivy.core.window import Window

from tests.kiosk.harness import find_button, pump, tap

pytestmark = pytest.mark.ui


def test_home_shows_room_name_and_chinese_by_default(app):
    header_title = [w for w in app.root.current_screen.walk() if getattr(w, "text", "") == app.settings.room.name]
    assert app.root.current == "home"
    assert header_title, "room name not shown on Home"


def test_escape_is_consumed_and_close_refused(app):
    assert Window.dispatch("on_keyboard", 27, 0, "", []) is True
    assert Window.dispatch("on_request_close") is True
    assert app.root.current == "home"


def test_language_switch_changes_visible_text(app):
    tap(find_button(app.root.current_screen, "English"))
    assert app.lang == "en"
    assert find_button(app.root.current_screen, "中文")
    tap(find_button(app.root.current_screen, "中文"))
    assert app.lang == "zh_CN"


def test_large_text_scales_fonts(app):
    button = find_button(app.root.current_screen, "大字")
    before = button.font_size
    tap(button)
    pump(2)
    assert app.large_text is True
    assert find_button(app.root.current_screen, "标准字").font_size > before


def test_idle_timeout_returns_home(app):
    app.go_home()
    app._last_activity -= app.settings.kiosk.idle_timeout + 1
    assert app.check_idle() is True
    assert app.root.current == "home"
