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
from kiosk.screens.base import KioskScreen, load_kv

log = logging.getLogger(__name__)
load_kv(__file__)

POLL_SECONDS = 1.0


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
        self._listening: object = None  # the PrintService this screen listens to
        self._poll = None
        self._params: dict = {}

    def set_params(self, ticket_uuid: str | None = None, people_ahead: int = 0, estimated_wait: int = 0,
                   job_id: str | None = None, print_error: str = "", **_p: object) -> None:
        self._params = dict(people_ahead=people_ahead, estimated_wait=estimated_wait, print_error=print_error)
        self.job_id = job_id
        self.ticket = None
        if not ticket_uuid:
            self.clear_inputs()
            return
        queue = self.app.queue

        def load() -> tuple:  # SQLite reads: off the UI thread
            ticket = queue.ticket(ticket_uuid)
            return ticket, (queue.line(ticket.line) if ticket is not None else None)

        self.load_in_background(load, lambda found: self._show_ticket(*found, job_id, people_ahead,
                                                                      estimated_wait, print_error))

    def _show_ticket(self, ticket, line, job_id: str | None, people_ahead: int,  # noqa: ANN001
                     estimated_wait: int, print_error: str) -> None:
        self.ticket = ticket
        if ticket is None:
            self.clear_inputs()
            return
        self.show_values(ticket.line, ticket.number, line.label if line else "", ticket.window,
                         people_ahead, estimated_wait)
        if print_error:
            self.set_print_state("failed", print_error)
        elif job_id:
            self.set_print_state("printing")
            self._watch(job_id)
        else:
            self.set_print_state("")

    def show_values(self, prefix: str, number: int, label: str, window: str, people_ahead: int,
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
        printer = self.app.printer
        if printer is None:
            return
        if self._listening is not printer and hasattr(printer, "add_listener"):
            printer.add_listener(self._on_printer_event)
            self._listening = printer
        if self._poll is None:
            self._poll = Clock.schedule_interval(self._poll_job, POLL_SECONDS)  # in case no state change comes
        self._poll_job(0)

    def _on_printer_event(self, *_args: object, **_kw: object) -> None:
        Clock.schedule_once(self._poll_job, 0)  # listeners are called on the print worker thread

    def _poll_job(self, _dt: float) -> bool:
        printer = self.app.printer
        if printer is None or not self.job_id or self.print_state not in ("printing", "failed"):
            self._stop_poll()
            return False
        state = job_state(printer, self.job_id)
        if state == "printed":
            self.set_print_state("printed")
        elif state == "failed":
            self.set_print_state("failed")
        elif state == "delayed":
            self.set_print_state("failed", "queue.print_delayed")
        return True

    def _stop_poll(self) -> None:
        if self._poll is not None:
            self._poll.cancel()
            self._poll = None

    def on_leave(self, *_args: object) -> None:
        self._stop_poll()

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

def job_state(printer, job_id: str) -> str:  # noqa: ANN001 - a printer.service.PrintService
    """printing | printed | failed | delayed (still queued, the printer has a problem) for one job."""
    try:
        job = printer.job(int(job_id))
        kind = printer.state.kind
    except Exception:  # the screen keeps the number whatever the printer code does
        log.exception("printer job state")
        return ""
    if job is None or job.status in ("failed", "expired", "cancelled"):
        return "failed"
    if job.status == "printed":
        return "printed"
    return "delayed" if kind in ("paper_out", "offline", "error") else "printing"
