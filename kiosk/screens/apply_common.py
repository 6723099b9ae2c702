"""Shared by the application wizard's screens: the one draft, item lookup, printing.

The draft is a UI-free ``ApplicationDraft``; every wizard screen reads and writes that
one object, so back/forward keeps what was typed and ``clear_inputs`` (finish, Home,
idle timeout) on any wizard screen forgets it all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.utils import escape_markup

from bianmin import paths
from bianmin.domain.catalogue import ServiceItem, load_catalogue
from bianmin.local.application_draft import ApplicationDraft

log = logging.getLogger(__name__)

draft = ApplicationDraft()


def find_item(app, code: str) -> ServiceItem | None:  # noqa: ANN001 - the running BianminApp
    """The service item by code: from the app's catalogue when it is loaded, else the file."""
    if app.catalogue is not None:
        return app.catalogue_item(code)
    file_catalogue = _file_catalogue()
    return file_catalogue.get(code) if file_catalogue else None


@cache
def _file_catalogue() -> dict[str, ServiceItem]:
    path: Path = paths.CATALOGUE_FILE
    if not path.exists():
        return {}
    try:
        return load_catalogue(path).by_code()
    except Exception:
        log.exception("catalogue %s unusable", path)
        return {}


def submit_print(app, slip, done: Callable[[str | None, str], None]) -> None:  # noqa: ANN001
    """Hand a slip to the print service on the runtime's worker; ``done(job_id, error)`` on the UI thread.

    ``PrintService.submit`` commits the job locally and returns at once, but even that
    touches the disk, so it never runs on the UI thread.
    """
    printer = app.printer
    if printer is None:
        done(None, "no_printer")
        return

    def failed(exc: BaseException) -> None:  # any printer problem: the caller's record is already safe
        done(None, str(exc) or exc.__class__.__name__)

    app.runtime.run(lambda: printer.submit(slip), lambda job_id: done(str(job_id), ""), failed)


class FieldBox(ButtonBehavior, BoxLayout):
    """A form field the villager taps to type into with the on-screen keyboard."""

    label = StringProperty("")
    value = StringProperty("")
    pending = StringProperty("")  # pinyin letters not yet converted
    error = StringProperty("")
    hint = StringProperty("")
    help_text = StringProperty("")  # a standing explanation under the label (e.g. old ID numbers)
    active = BooleanProperty(False)
    field = StringProperty("")
    display = StringProperty("")  # markup: value, pending pinyin underlined, or the hint

    def on_value(self, *_args: object) -> None:
        self._update_display()

    def on_pending(self, *_args: object) -> None:
        self._update_display()

    def on_hint(self, *_args: object) -> None:
        self._update_display()

    def _update_display(self) -> None:
        if not (self.value or self.pending):
            self.display = f"[color=747474]{escape_markup(self.hint)}[/color]"
            return
        pending = f"[color=0b4f9c][u]{escape_markup(self.pending)}[/u][/color]" if self.pending else ""
        self.display = escape_markup(self.value) + pending


class MaterialRow(ButtonBehavior, BoxLayout):
    """One material: a big tick box, its name, counts and whether it is required."""

    name = StringProperty("")
    detail = StringProperty("")
    ticked = BooleanProperty(False)
    required = BooleanProperty(False)


Builder.load_file(str(Path(__file__).with_name("apply_common.kv")))
