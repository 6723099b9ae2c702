"""Take a queue number: one big button per line with people waiting and the estimated wait.

From an item's guide the screen arrives with ``item_code`` and puts that item's
line first, highlighted. A tap commits the ticket (and queues its slip) in the
queue worker, then shows the ticket screen. Double taps are stopped twice: the
buttons ignore taps while a take is in flight, and the logic receives the same
request token for every tap of one visit, so it can never issue two tickets.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import datetime

from kivy.properties import StringProperty

from bianmin.local.queue import LineStatus, QueueService, TakeResult
from kiosk import queue_runtime
from kiosk.screens.base import KioskScreen, load_kv

log = logging.getLogger(__name__)
load_kv(__file__)

DEBOUNCE_SECONDS = 1.0


def describe_opening(app, moment: datetime | None) -> str:  # noqa: ANN001
    """'明天 08:30' / '11月30日 08:30' for a next-opening time (plain words for villagers)."""
    if moment is None:
        return app.tr("queue.opening_unknown")
    days = (moment.date() - app.queue.today()).days
    clock = moment.strftime("%H:%M")
    if days == 0:
        return app.tr("queue.today_at", time=clock)
    if days == 1:
        return app.tr("queue.tomorrow_at", time=clock)
    return app.tr("queue.date_at", month=moment.month, day=moment.day, time=clock)


def submit_print(app, service: QueueService, result: TakeResult) -> tuple[str | None, str]:  # noqa: ANN001
    """Queue the ticket's slip; returns (job id, error message key). Runs in the worker."""
    printer = app.printer
    if printer is None:
        return None, "queue.print_unavailable"
    from printer.slips import TicketSlip

    ticket = result.ticket
    line = service.line(ticket.line)
    slip = TicketSlip(
        room_name=app.settings.room.name,
        line_label=line.label if line else ticket.line,
        number_text=ticket.number_text,
        people_ahead=result.people_ahead,
        estimated_wait_minutes=result.estimated_wait_minutes,
        issued_at=ticket.issued_at,
        window=ticket.window,
    )
    try:
        return str(printer.submit(slip, lang=app.lang)), ""
    except Exception:  # the ticket is already committed; the screen shows the number anyway
        log.exception("could not queue the ticket slip")
        return None, "queue.print_failed"


def active_catalogue(app):  # noqa: ANN001, ANN201
    """The app's catalogue if the guides feature put one there, else the active one on disk."""
    if app.catalogue is not None:
        return app.catalogue
    from bianmin.catalogue_source import load_active_catalogue

    return load_active_catalogue().catalogue


def find_item(app, code: str):  # noqa: ANN001, ANN201
    if app.catalogue is not None:
        return app.catalogue_item(code)
    return next((i for i in active_catalogue(app).items if i.code == code), None)


class QueueTakeScreen(KioskScreen):
    message = StringProperty("")
    hint = StringProperty("")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.item_code: str | None = None
        self.preferred: str | None = None
        self.request_token = uuid.uuid4().hex
        self.busy = False
        self._last_tap = 0.0
        self.statuses: list[LineStatus] = []
        from kivy.clock import Clock

        Clock.schedule_once(lambda _dt: queue_runtime.start(self.app), 0)

    # ----- navigation ---------------------------------------------------------------
    def set_params(self, item_code: str | None = None, **_params: object) -> None:
        self.item_code = item_code or None
        self.preferred = None

    def on_pre_enter(self, *args: object) -> None:
        super().on_pre_enter(*args)
        self.request_token = uuid.uuid4().hex  # one token per visit: every tap of this visit is one request
        self.busy = False
        self._last_tap = 0.0
        self.message = ""
        self.ids.lines.clear_widgets()  # never show (or let anyone tap) an earlier visit's numbers
        self.refresh()

    def clear_inputs(self) -> None:
        self.item_code = None
        self.preferred = None
        self.message = ""

    def read_aloud_text(self) -> str:
        parts = [self.app.tr("queue.take_read_aloud")]
        for status in self.statuses:
            parts.append(self.button_text(status).replace("\n", "，"))
        return "。".join(parts)

    # ----- loading ------------------------------------------------------------------
    def refresh(self) -> None:
        service = self.app.queue
        item_code = self.item_code

        def load() -> tuple[list[LineStatus], str | None]:
            preferred = None
            if item_code:
                line = service.line_for_item(self._item(item_code) or item_code)
                preferred = line.prefix if line else None
            return service.status(), preferred

        self.load_in_background(load, self._show)

    def _item(self, code: str):  # noqa: ANN202 - the catalogue's ServiceItem, or None
        try:
            return find_item(self.app, code)
        except Exception:  # a broken catalogue still lets the villager pick a line by hand
            log.exception("catalogue not readable")
            return None

    def _show(self, loaded: tuple[list[LineStatus], str | None]) -> None:
        self.statuses, self.preferred = loaded
        self.build_buttons()

    def button_text(self, status: LineStatus) -> str:
        line = status.line
        head = self.app.tr("queue.line_title", prefix=line.prefix, label=line.label)
        if status.open_now and status.waiting == 0:
            detail = self.app.tr("queue.line_no_wait")
        elif status.open_now:
            detail = self.app.tr("queue.line_waiting", count=status.waiting, minutes=status.estimated_wait_minutes)
        elif status.issued_today >= line.daily_cap:
            detail = self.app.tr("queue.line_full", when=describe_opening(self.app, status.next_opening))
        else:
            detail = self.app.tr("queue.line_closed", when=describe_opening(self.app, status.next_opening))
        return f"{head}\n{detail}"

    def build_buttons(self) -> None:
        from kivy.factory import Factory

        box = self.ids.lines
        box.clear_widgets()
        ordered = sorted(self.statuses, key=lambda s: s.line.prefix != self.preferred)
        self.hint = ""
        if self.preferred:
            line = next(s.line for s in ordered if s.line.prefix == self.preferred)
            self.hint = self.app.tr("queue.preselected", prefix=line.prefix, label=line.label)
        for status in ordered:
            tone = "ok" if status.line.prefix == self.preferred else ("primary" if status.open_now else "secondary")
            button = Factory.LineButton(tone=tone, text=self.button_text(status))
            button.line_prefix = status.line.prefix
            button.bind(on_release=lambda b: self.take(b.line_prefix))
            box.add_widget(button)

    # ----- taking -------------------------------------------------------------------
    def take(self, prefix: str, on_taken=None) -> None:  # noqa: ANN001
        """The tap handler: commit the ticket and queue its slip in the worker, then show it."""
        now = time.monotonic()
        if self.busy or now - self._last_tap < DEBOUNCE_SECONDS:
            return
        self._last_tap = now
        self.busy = True
        self.message = ""
        service = self.app.queue
        token, item_code, app = self.request_token, self.item_code, self.app

        def work() -> tuple[TakeResult, str | None, str]:
            result = service.take_number(prefix, request_token=token, item_code=item_code)
            if not result.ok:
                return result, None, ""
            if result.repeated:
                return result, None, ""  # the first tap already printed it
            job_id, error = submit_print(app, service, result)
            return result, job_id, error

        def done(out: tuple[TakeResult, str | None, str]) -> None:
            result, job_id, print_error = out
            self.busy = False
            if on_taken is not None:
                on_taken(result)
            if not result.ok:
                when = describe_opening(self.app, result.next_opening)
                self.message = self.app.tr(result.message_key, when=when)
                self.refresh()
                return
            queue_runtime.request_sync(self.app)
            self.app.go("queue_ticket", remember=False, ticket_uuid=result.ticket.uuid,
                        people_ahead=result.people_ahead, estimated_wait=result.estimated_wait_minutes,
                        job_id=job_id, print_error=print_error)

        def failed(_exc: BaseException) -> None:
            self.busy = False
            self.message = self.app.tr("queue.failed")

        self.app.runtime.run(work, done, failed)
