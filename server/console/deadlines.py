"""Promised dates for applications, from their history and the holiday calendar.

The clock starts the day after acceptance and stops while the applicant is
bringing missing materials (design.md §4). The working-day arithmetic itself is
`bianmin.domain.calendar.WorkingCalendar`; this module only reads the history.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from bianmin.domain.calendar import WorkingCalendar
from bianmin.domain.lifecycle import CLOCK_RUNNING, Status
from server.core.config import process_timezone

LOCAL_TZ = process_timezone()  # Settings.timezone (BIANMIN_TIMEZONE)
DUE_SOON_DAYS = 2
FINISHING = frozenset({Status.APPROVED, Status.REJECTED, Status.NOT_ACCEPTED, Status.COMPLETED, Status.WITHDRAWN})


def local_date(moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TZ).date()


def today() -> date:
    return datetime.now(LOCAL_TZ).date()


def deadline(history: Iterable[tuple[str, date]], promised_days: int, calendar: WorkingCalendar) -> tuple[date | None, date | None]:
    """(accepted_on, due_on) from the (status, day) history in order; (None, None) before acceptance.

    While the application still waits for materials, the open pause is counted up to
    today, so the shown date moves on with the pause.
    """
    accepted_on: date | None = None
    pause_start: date | None = None
    paused: list[tuple[date, date]] = []
    for status, day in history:
        if status == Status.ACCEPTED and accepted_on is None:
            accepted_on = day
        elif status == Status.AWAITING_MATERIALS and accepted_on is not None and pause_start is None:
            pause_start = day
        elif status in CLOCK_RUNNING and pause_start is not None:
            paused.append((pause_start, day))
            pause_start = None
    if accepted_on is None:
        return None, None
    if pause_start is not None:
        paused.append((pause_start, max(pause_start, today())))
    return accepted_on, calendar.due_date(accepted_on, promised_days, paused)


def flag(status: str, due_on: date | None, calendar: WorkingCalendar, on: date | None = None) -> str:
    """'overdue', 'due-soon' or '' — only while the clock runs."""
    if due_on is None or status not in CLOCK_RUNNING:
        return ""
    on = on or today()
    if due_on < on:
        return "overdue"
    if due_on <= calendar.add_working_days(on, DUE_SOON_DAYS):
        return "due-soon"
    return ""


def was_late(due_on: date | None, finished_on: date | None, status: str, on: date | None = None) -> bool | None:
    """是否超期 for the ledger: finished after the promised date, or still running past it.

    None when it cannot be decided: no promised date yet (not accepted), shown as "—"
    rather than a 否 that would count a case nobody has started as on time.
    """
    if due_on is None:
        return None
    if finished_on is not None:
        return finished_on > due_on
    return status in CLOCK_RUNNING and (on or today()) > due_on
