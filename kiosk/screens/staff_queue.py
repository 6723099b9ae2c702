"""Staff queue panel: per line call next, recall, served, no-show, skip to a number.

Every action runs in the queue worker (one transaction, marked for upload), then
the call is announced by voice (chime + twice) and Home's now-serving banner is
updated — the UI thread never waits for SQLite or speech.
"""

from __future__ import annotations

from collections.abc import Callable

from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.modalview import ModalView

from bianmin.local.queue import CallResult, QueueService, Ticket
from kiosk import queue_runtime
from kiosk.screens.base import load_kv
from kiosk.staff import StaffScreen

load_kv(__file__)

MAX_SHOWN_WAITING = 12


class LinePanel(BoxLayout):
    """One line's column: who is at the window, who waits, and the five actions."""

    prefix = StringProperty("")
    title = StringProperty("")
    current = StringProperty("")
    waiting = StringProperty("")
    screen = ObjectProperty(None, allownone=True)


class SkipPad(ModalView):
    """A number pad for 'skip to a number' (the kiosk has no keyboard)."""

    prefix = StringProperty("")
    digits = StringProperty("")
    on_choose: Callable[[int], None] | None = None

    def press(self, digit: str) -> None:
        if len(self.digits) < 3:
            self.digits += digit

    def delete(self) -> None:
        self.digits = self.digits[:-1]

    def confirm(self) -> None:
        if self.digits and int(self.digits) > 0 and self.on_choose is not None:
            self.on_choose(int(self.digits))
        self.dismiss()


class StaffQueueScreen(StaffScreen):
    message = StringProperty("")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.panels: dict[str, LinePanel] = {}
        self.pad: SkipPad | None = None

    @property
    def service(self) -> QueueService:
        return self.app.queue

    def set_staff_params(self, **_params: object) -> None:
        self.message = ""

    # ----- showing ------------------------------------------------------------------
    def refresh(self) -> None:
        service = self.service

        def load() -> list[tuple[str, Ticket | None, list[Ticket]]]:
            return [(p, service.current(p), service.waiting(p)) for p in service.lines]

        self.load_in_background(load, self._show)

    def _show(self, rows: list[tuple[str, Ticket | None, list[Ticket]]]) -> None:
        box = self.ids.lines
        if set(self.panels) != {p for p, _c, _w in rows}:
            box.clear_widgets()
            self.panels = {}
            for prefix, _c, _w in rows:
                panel = LinePanel(prefix=prefix, screen=self)
                self.panels[prefix] = panel
                box.add_widget(panel)
        for prefix, current, waiting in rows:
            line = self.service.line(prefix)
            panel = self.panels[prefix]
            panel.title = self.app.tr("staff.line_title", prefix=prefix, label=line.label, window=line.window)
            if current is None:
                panel.current = self.app.tr("staff.nobody_called")
            else:
                panel.current = self.app.tr(f"staff.current_{current.status}", number=current.number_text)
            shown = " ".join(t.number_text for t in waiting[:MAX_SHOWN_WAITING])
            if len(waiting) > MAX_SHOWN_WAITING:
                shown += " …"
            panel.waiting = self.app.tr("staff.waiting", count=len(waiting), numbers=shown or "—")

    # ----- actions ------------------------------------------------------------------
    def action(self, prefix: str, name: str, number: int | None = None) -> None:
        """call_next | recall | served | no_show | skip (with number)."""
        service = self.service
        work = {
            "call_next": lambda: service.call_next(prefix),
            "recall": lambda: service.recall(prefix),
            "served": lambda: service.mark_served(prefix),
            "no_show": lambda: service.mark_no_show(prefix),
            "skip": lambda: service.skip_to(prefix, int(number or 0)),
        }[name]
        self.app.runtime.run(work, lambda result: self._done(name, result),
                                    lambda _e: setattr(self, "message", self.app.tr("queue.failed")))

    def _done(self, name: str, result: CallResult) -> None:
        if not result.ok:
            self.message = self.app.tr(result.message_key)
        elif name in ("call_next", "recall", "skip"):
            ticket = result.ticket
            self.message = self.app.tr("staff.called", number=ticket.number_text, window=ticket.window)
            queue_runtime.announce(self.app, ticket)
        else:
            self.message = self.app.tr(f"staff.done_{name}", number=result.ticket.number_text)
        if result.ok:
            queue_runtime.request_sync(self.app)
        queue_runtime.refresh_now_serving(self.app)
        self.refresh()

    def open_skip_pad(self, prefix: str) -> None:
        pad = SkipPad(prefix=prefix)
        pad.on_choose = lambda number: self.action(prefix, "skip", number)
        self.pad = pad
        pad.open()

    def clear_inputs(self) -> None:
        super().clear_inputs()
        self.message = ""
        if self.pad is not None:
            self.pad.dismiss()
            self.pad = None
