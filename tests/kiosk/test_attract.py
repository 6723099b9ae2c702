"""Attract mode: Home left alone cycles through now-serving and notices; a touch returns Home."""

from __future__ import annotations

import time

import pytest

from bianmin.config import Config, KioskConfig
from bianmin.public_notice import build_public_notice
from kiosk.screens.attract import attract_slides
from tests.kiosk.harness import pump, tap, wait_until

pytestmark = pytest.mark.ui

ROSTER_NOTICES = {"notices": [{"title": "本周四集中认证", "body": "请带身份证和社保卡。"}]}


def test_slides_show_serving_fees_notices_and_phones():
    notice = build_public_notice(Config(), None, ROSTER_NOTICES, None)
    slides = attract_slides(notice, "A012 请到1号窗口", "zh_CN")
    titles = [s.title for s in slides]
    assert titles[0] == "正在叫号" and slides[0].body == "A012 请到1号窗口"
    assert "收费公示" in titles and "监督投诉" in titles
    assert "代办服务一律免费" in slides[titles.index("收费公示")].body
    assert Config().room.complaint_phone in slides[-1].body
    # nobody called yet: no empty now-serving slide
    assert attract_slides(notice, "  ", "en")[0].title != "Now serving"


@pytest.fixture()
def attract_app(app):
    old = app.settings
    app.settings = old.model_copy(update={"kiosk": KioskConfig(attract_after=20, idle_timeout=90)})
    yield app
    app.settings = old
    app.go_home()


def idle_for(app, seconds: float) -> None:
    app._last_activity = time.monotonic() - seconds


def test_home_left_alone_shows_attract_and_a_touch_returns(attract_app):
    app = attract_app
    app.now_serving = "B003 请到2号窗口"
    idle_for(app, 5)
    app._tick(0)
    assert app.root.current == "home"  # not yet
    idle_for(app, 25)
    app._tick(0)
    assert app.root.current == "attract"
    screen = app.root.current_screen
    assert screen.title_text == "正在叫号" and "B003" in screen.body_text
    assert wait_until(lambda: len(screen.slides) >= 3)  # notices loaded off the UI thread
    seen = set()
    for _ in range(len(screen.slides)):
        screen.advance()
        seen.add(screen.title_text)
    assert {"正在叫号", "收费公示", "监督投诉"} <= seen
    # the idle timeout does not throw it back to Home every 90 s
    idle_for(app, 200)
    app._tick(0)
    assert app.root.current == "attract"
    tap(screen)
    assert app.root.current == "home"
    pump(2)
    app.now_serving = ""


def test_attract_only_from_home_and_can_be_off(attract_app):
    app = attract_app
    app.go("notices")
    idle_for(app, 25)
    app._tick(0)
    assert app.root.current == "notices"  # a screen in use waits for the idle timeout instead
    app.go_home()
    app.settings = app.settings.model_copy(update={"kiosk": KioskConfig(attract_after=0)})
    idle_for(app, 80)
    app._tick(0)
    assert app.root.current == "home"
