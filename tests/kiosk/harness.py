"""Drive the real kiosk screens in-process: one app per test session, simulated touches.

Kivy allows one window per process, so the app is created once and ``restore``
puts it back exactly before each test (Home, settings, no dialog, nothing
pending). Touches go through Kivy's real input dispatch (the same path a
touchscreen uses), then frames are pumped so Clock callbacks and kv bindings run.

The app's background executor is manual in tests: ``pump`` runs the queued jobs
before each frame, so a job's result is on screen after the next frames, with no
sleeping and no dependence on how busy the machine is.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from kivy.app import App
from kivy.base import EventLoop
from kivy.core.window import Window
from kivy.tests.common import UnitTestTouch
from kivy.uix.modalview import ModalView
from kivy.uix.widget import Widget


def drain() -> int:
    """Run the background jobs queued so far (their results arrive on the next frame)."""
    app = App.get_running_app()
    runtime = getattr(app, "runtime", None)  # another Kivy app (a widget test) has none
    return runtime.executor.drain() if runtime is not None else 0


def pump(frames: int = 3) -> None:
    for _ in range(frames):
        drain()
        EventLoop.idle()


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Pump frames until predicate() is true.

    Background jobs are drained every frame, so this returns after a few frames;
    the timeout only bounds work outside the executor (the print service's own
    worker, a fake server thread) and turns a hang into a failing test.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pump(1)
        if predicate():
            return True
    return predicate()


# App state that belongs to the session (loaded once), not to a test.
SESSION_PROPERTIES = {"catalogue_ready", "catalogue_version", "screens_ready"}


def baseline(app) -> dict:  # noqa: ANN001
    """The app's state right after start-up, for ``restore``."""
    state = {name: getattr(app, name) for name in app.properties() if name not in SESSION_PROPERTIES}
    state["settings"] = app.settings
    return state


def restore(app, start: dict) -> None:  # noqa: ANN001 - the session's BianminApp
    """Put the shared app back as a fresh start: what one test changes, the next never sees."""
    for child in list(Window.children):
        if isinstance(child, ModalView):
            child.dismiss(animation=False)
    pump(1)
    drain()
    for name, value in start.items():
        setattr(app, name, value)  # language, 大字, warnings, printer/sync state, staff session, settings
    app.errors_recovered = 0
    app.go_home(clear=True)
    app.poke()
    for screen in app.screen_manager.screens:
        for view in screen.walk(restrict=True):
            effect = getattr(view, "effect_y", None)
            if effect is not None:  # a ScrollView: back to the top, nothing still moving
                effect.velocity = 0
                view.scroll_y = 1


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
