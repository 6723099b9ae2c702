"""The base class every kiosk screen derives from."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen


def load_kv(module_file: str) -> None:
    """Load the .kv file next to a screen module (once)."""
    kv = str(Path(module_file).with_suffix(".kv"))
    if kv not in Builder.files:
        Builder.load_file(kv)


class KioskScreen(Screen):
    """A screen: shows app state and calls UI-free code; never blocks on I/O.

    Subclasses override ``set_params`` (arguments from ``app.go``),
    ``clear_inputs`` (idle timeout / home: forget everything personal) and
    ``read_aloud_text`` (what the 朗读 button says; empty hides the button).
    Work that may block (disk, printer, network) goes to ``app.runtime.run``;
    what the screen *shows* is loaded with ``load_in_background`` so ``ready``
    tells the screenshot tour (and tests) when the screen is complete.
    """

    title_key = StringProperty("")
    # False while a load started by load_in_background is out; the tour shoots only ready screens.
    ready = BooleanProperty(True)
    _loads_out = 0
    # Whether read_aloud_text() has something to say; the Header shows 朗读 only then
    # (and only when speech works). Screens call refresh_read_aloud() when content changes.
    read_aloud_available = BooleanProperty(False)

    @property
    def app(self):  # noqa: ANN201 - the running BianminApp
        return App.get_running_app()

    def load_in_background(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Load what this screen shows off the UI thread; ``ready`` turns true once it is shown."""
        self._loads_out += 1
        self.ready = False

        def finish(callback: Callable[[Any], None] | None, value: Any) -> None:
            try:
                if callback is not None:
                    callback(value)
            finally:
                self._loads_out -= 1
                self.ready = self._loads_out == 0

        self.app.runtime.run(work, lambda result: finish(on_done, result), lambda exc: finish(on_error, exc))

    def set_params(self, **params: object) -> None:
        """Receive navigation parameters (e.g. item_code)."""

    def clear_inputs(self) -> None:
        """Forget all input and personal data shown on this screen."""

    def read_aloud_text(self) -> str:
        return ""

    def refresh_read_aloud(self, *_args: object) -> None:
        self.read_aloud_available = bool(self.read_aloud_text())

    def refresh(self) -> None:
        """Rebuild what the screen shows from app state (screens with dynamic content override)."""

    def invalidate(self, *_args: object) -> None:
        """App state this screen shows changed (language, 大字, catalogue).

        Rebuild now if the screen is showing, else on its next entry: rebuilding
        every hidden screen on each language switch wastes time and memory.
        """
        if self.manager is not None and self.manager.current == self.name:
            self._stale = False
            self.refresh()
        else:
            self._stale = True

    def on_pre_enter(self, *_args: object) -> None:
        if getattr(self, "_stale", False):
            self._stale = False
            self.refresh()
        self.refresh_read_aloud()
