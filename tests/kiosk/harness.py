"""Drive the real kiosk screens in-process: one app per test session, simulated touches.

Kivy allows one window per process, so the app is created once and each test
starts from Home. Touches go through Kivy's real input dispatch (the same path a
touchscreen uses), then frames are pumped so Clock callbacks and kv bindings run.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from kivy.base import EventLoop
from kivy.tests.common import UnitTestTouch
from kivy.uix.widget import Widget


def pump(frames: int = 3) -> None:
    for _ in range(frames):
        EventLoop.idle()


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Pump frames until predicate() is true (for work that comes back through the Clock)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pump(1)
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def tap(widget: Widget, frames: int = 3) -> None:
    """Touch down and up at the widget's centre, in window coordinates."""
    assert widget.get_root_window() is not None, f"{widget!r} is not on screen"
    assert widget.opacity > 0 and not getattr(widget, "disabled", False), f"{widget!r} is hidden or disabled"
    x, y = widget.to_window(*widget.center)
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    pump(1)
    touch.touch_up()
    pump(frames)


def find(root: Widget, predicate: Callable[[Widget], bool]) -> list[Widget]:
    return [w for w in root.walk(restrict=True) if predicate(w)]


def find_button(root: Widget, text: str) -> Widget:
    """The visible button whose text contains `text` (fails clearly if none or several)."""
    from kivy.uix.button import Button

    hits = [
        w for w in root.walk(restrict=True)
        if isinstance(w, Button) and text in (w.text or "") and w.opacity > 0 and not w.disabled
    ]
    assert hits, f"no visible button with text {text!r}"
    return hits[0]


def record_new_widgets(monkeypatch) -> list[str]:  # noqa: ANN001
    """From now on (this test), the class name of every widget created, in order.

    For tests that a screen updates in place: typing or paging must create none.
    """
    created: list[str] = []
    original_init = Widget.__init__

    def counting_init(self, **kwargs):  # noqa: ANN001, ANN003
        created.append(type(self).__name__)
        original_init(self, **kwargs)

    monkeypatch.setattr(Widget, "__init__", counting_init)
    return created
