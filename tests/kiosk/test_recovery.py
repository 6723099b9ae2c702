"""Self-recovery: an unexpected exception returns the kiosk to Home instead of killing it."""

from __future__ import annotations

import pytest
from kivy.base import EventLoop, ExceptionManager
from kivy.clock import Clock

pytestmark = pytest.mark.ui


def _mainloop_frames(frames: int) -> list[int]:
    """Run frames the way EventLoop.mainloop does, exceptions going to the ExceptionManager."""
    results = []
    for _ in range(frames):
        try:
            EventLoop.idle()
        except BaseException as exc:  # noqa: BLE001 - this is what Kivy's mainloop does
            results.append(ExceptionManager.handle_exception(exc))
    return results


def test_exception_in_callback_returns_home(app):
    screen = app.screen_manager.screens[-1].name
    app.go(screen)

    def boom(_dt):
        raise RuntimeError("simulated bug")

    before = getattr(app, "errors_recovered", 0)
    Clock.schedule_once(boom, 0)
    escaped = _mainloop_frames(3)
    # Kivy's Clock hands callback errors to the ExceptionManager itself; anything that
    # escaped to the loop must have been passed over too, never re-raised.
    assert all(r == ExceptionManager.PASS for r in escaped)
    assert app.errors_recovered == before + 1
    assert app.root.current == "home"
    assert app.staff_warning
