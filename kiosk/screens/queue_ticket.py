"""The ticket on screen: the number huge, the line, people ahead, the wait, printing state.

The ticket is already committed when this screen opens; printing is reported
but never decides anything — if the printer fails, the number stays on screen
with a plain request to remember it (the villager is called by voice anyway).
"""

from __future__ import annotations

import logging

from kivy.clock import Clock
from kivy.properties import StringProperty

from bianmin.local.queue import Ticket, spoken_number
from kiosk import queue_runtime
from kiosk.screens.base import KioskScreen, load_kv

log = logging.getLogger(__name__)
load_kv(__file__)

PRINT_FAILED_STATES = {"failed", "error", "offline", "paper_out", "cover_open"}
PRINT_DONE_STATES = {"done", "printed"}


class QueueTicketScreen(KioskScreen):
    number_text = StringProperty("")
    line_text = StringProperty("")
    ahead_text = StringProperty("")
    print_text = StringProperty("")
    print_state = StringProperty("")  # '' | printing | printed | failed

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.ticket: Ticket | None = None
        self.job_id: str | None = None
        self._listening = False
        self._params: dict = {}

    def set_params(self, ticket_uuid: str | None = None, people_ahead: int = 0, estimated_wait: int = 0,
                   job_id: str | None = None, print_error: str = "", sample: bool = False, **_p: object) -> None:
        self._params = dict(people_ahead=people_ahead, estimated_wait=estimated_wait, print_error=print_error)
        self.job_id = job_id
        self.ticket = None
        if sample:  # the screenshot tour: a sample ticket, nothing written to the store
            line = next(iter(queue_runtime.get_queue(self.app).lines.values()))
            self._show_values(line.prefix, 12, line.label, line.window, people_ahead=3, minutes=15)
            self.set_print_state("printed")
            return
        if ticket_uuid:
            service = queue_runtime.get_queue(self.app)
            self.ticket = service.ticket(ticket_uuid)
        if self.ticket is None:
            self.clear_inputs()
            return
        line = queue_runtime.get_queue(self.app).line(self.ticket.line)
        self._show_values(self.ticket.line, self.ticket.number, line.label if line else "", self.ticket.window,
                          people_ahead, estimated_wait)
        if print_error:
            self.set_print_state("failed", print_error)
        elif job_id:
            self.set_print_state("printing")
            self._watch(job_id)
        else:
            self.set_print_state("")

    def _show_values(self, prefix: str, number: int, label: str, window: str, people_ahead: int,
                     minutes: int) -> None:
        self.number_text = f"{prefix}{number:03d}"
        self.line_text = self.app.tr("queue.ticket_line", label=label, window=window)
        if people_ahead:
            self.ahead_text = self.app.tr("queue.ticket_ahead", count=people_ahead, minutes=minutes)
        else:
            self.ahead_text = self.app.tr("queue.ticket_next")
        self._spoken = spoken_number(prefix, number, self.app.lang)

    # ----- printing -----------------------------------------------------------------
    def set_print_state(self, state: str, error_key: str = "") -> None:
        self.print_state = state
        keys = {"printing": "queue.printing", "printed": "queue.printed", "failed": error_key or "queue.print_failed"}
        self.print_text = self.app.tr(keys[state]) if state in keys else ""

    def _watch(self, job_id: str) -> None:
        printer = getattr(self.app, "printer", None)
        if printer is None:
            return
        if not self._listening and hasattr(printer, "add_listener"):
            printer.add_listener(self._on_printer_event)
            self._listening = True
        self._poll_job(0)

    def _on_printer_event(self, *_args: object, **_kw: object) -> None:
        Clock.schedule_once(self._poll_job, 0)  # listeners may be called from the print thread

    def _poll_job(self, _dt: float) -> None:
        printer = getattr(self.app, "printer", None)
        if printer is None or not self.job_id or self.print_state not in ("printing", "failed"):
            return
        state = job_state(printer, self.job_id)
        if state in PRINT_DONE_STATES:
            self.set_print_state("printed")
        elif state in PRINT_FAILED_STATES:
            self.set_print_state("failed")

    # ----- screen -------------------------------------------------------------------
    def clear_inputs(self) -> None:
        self.ticket = None
        self.job_id = None
        self.number_text = ""
        self.line_text = ""
        self.ahead_text = ""
        self.set_print_state("")

    def read_aloud_text(self) -> str:
        if not self.number_text:
            return ""
        return self.app.tr("queue.ticket_read_aloud", number=getattr(self, "_spoken", self.number_text),
                           line=self.line_text, ahead=self.ahead_text)

    def tour_states(self) -> list[tuple[str, dict]]:
        return [("", {"sample": True})]


def job_state(printer, job_id: str) -> str:  # noqa: ANN001
    """The state of one print job as a plain word (adapts to the print service's API)."""
    getter = getattr(printer, "job_state", None) or getattr(printer, "job_status", None)
    if getter is None:
        return ""
    try:
        value = getter(job_id)
    except Exception:
        log.exception("printer job state")
        return ""
    return str(getattr(value, "value", value) or "")
