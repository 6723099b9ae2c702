"""Status changes made on the server (agents in the console, the CLI, tests).

Every change goes through ``change_status``: it enforces the lifecycle, appends
the event (the kiosk's status pull reads these) and keeps the promised date:
counted from acceptance in working days, pushed back by the working days spent
awaiting materials after acceptance.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from bianmin.domain.calendar import WorkingCalendar
from bianmin.domain.lifecycle import FINAL_STATES, Status, check_transition
from server.models import Application, ApplicationEvent, utcnow


def change_status(session: Session, application: Application, to_status: str | Status, actor: str,
                  note: str = "", internal_note: str = "", missing_materials: list[str] | None = None,
                  item_type: str = "proxy", calendar: WorkingCalendar | None = None,
                  today: date | None = None) -> ApplicationEvent:
    """Apply a legal transition (raises lifecycle.IllegalTransition otherwise); caller commits."""
    target = Status(to_status)
    check_transition(application.status, target, item_type=item_type, note=note)
    calendar = calendar or WorkingCalendar()
    now = utcnow()
    today = today or now.date()
    previous = application.status
    if target == Status.ACCEPTED:
        if application.accepted_on is None:
            application.accepted_on = today
        application.due_date = calendar.due_date(
            application.accepted_on, application.promised_days, _paused_spans(application, today)
        )
    if target == Status.AWAITING_MATERIALS and missing_materials is not None:
        application.materials_missing = list(missing_materials)
    if target in FINAL_STATES:
        application.completed_at = now
    application.status = target.value
    application.status_changed_at = now
    event = ApplicationEvent(
        application_id=application.id, village_id=application.village_id, at=now, actor=actor,
        from_status=previous, to_status=target.value, note=note, internal_note=internal_note,
        missing_materials=list(missing_materials or []), due_date=application.due_date,
    )
    session.add(event)
    session.flush()
    return event


def _paused_spans(application: Application, today: date) -> list[tuple[date, date]]:
    """Spans spent awaiting materials after acceptance (the clock did not run)."""
    spans: list[tuple[date, date]] = []
    paused_on: date | None = None
    accepted = False
    for ev in application.events:
        if ev.to_status == Status.ACCEPTED:
            if paused_on is not None:
                spans.append((paused_on, ev.at.date()))
                paused_on = None
            accepted = True
        elif ev.to_status == Status.AWAITING_MATERIALS and accepted:
            paused_on = ev.at.date()
    if paused_on is not None:
        spans.append((paused_on, today))
    return spans
