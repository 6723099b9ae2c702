"""Moving an application through its life from the console.

One function, `apply_transition`, so every path (the detail page, the tests, the
demo) checks the same rules: `bianmin.domain.lifecycle.check_transition` decides
what is legal; feat/server's `change_status` writes the change and the `ApplicationEvent` (which
kiosks pull on their next sync) and keeps the promised date; this module adds the
console's checks (materials picked from the item's list, an office to forward to)
and the audit entry, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bianmin.domain.calendar import WorkingCalendar
from bianmin.domain.lifecycle import IllegalTransition, Status, check_transition
from server.console import deadlines
from server.console.audit import record
from server.models import Application, ApplicationEvent, Village
from server.models.console import ConsoleUser, HolidayEntry
from server.services.applications import change_status


class ActionProblem(ValueError):
    """A refused action; `key` is a translation key for the message."""

    def __init__(self, key: str, **fmt: object):
        super().__init__(key)
        self.key, self.fmt = key, fmt


@dataclass(frozen=True)
class ActionInput:
    target: str
    note: str = ""
    materials: Sequence[str] = ()
    office: str = ""
    # Named by hand when the catalogue's list lacks what the office asks for (一次性告知).
    other_materials: Sequence[str] = ()


def working_calendar(db: Session) -> WorkingCalendar:
    rows = db.execute(select(HolidayEntry.day, HolidayEntry.kind)).all()
    return WorkingCalendar.of([d for d, k in rows if k == "holiday"], [d for d, k in rows if k == "workday"])


def history(app: Application) -> list[tuple[str, object]]:
    return [(ev.to_status, deadlines.local_date(ev.at)) for ev in app.events]


def apply_transition(
    db: Session,
    user: ConsoleUser,
    app: Application,
    action: ActionInput,
    *,
    item_materials: Sequence[str] = (),
    item_type: str = "proxy",
    calendar: WorkingCalendar | None = None,
) -> ApplicationEvent:
    """Validate and record one step; raises ActionProblem (nothing written) if refused."""
    try:
        target = Status(action.target)
    except ValueError as exc:
        raise ActionProblem("console.action.unknown") from exc
    note = action.note.strip()
    try:
        check_transition(app.status, target, item_type, note)
    except IllegalTransition as exc:
        raise ActionProblem(str(exc), current=app.status, target=target.value) from exc
    missing: list[str] = []
    if target == Status.AWAITING_MATERIALS:
        allowed = list(dict.fromkeys([*item_materials, *app.materials_missing]))
        picked = [m for m in dict.fromkeys(action.materials) if m in allowed]
        if len(picked) != len(set(action.materials)):
            raise ActionProblem("console.action.pick_materials")
        missing = list(dict.fromkeys([*picked, *(m.strip() for m in action.other_materials if m.strip())]))
        if not missing:
            raise ActionProblem("console.action.pick_materials")
    office = action.office.strip()
    if target == Status.FORWARDED and not office:
        raise ActionProblem("console.action.office_required")

    villager_note = note
    if target == Status.FORWARDED:
        villager_note = f"{office}" + (f"：{note}" if note else "")
    previous = app.status
    if target == Status.ACCEPTED and user.agent_id and app.assigned_agent_id is None:
        app.assigned_agent_id = user.agent_id
    try:
        event = change_status(
            db, app, target, actor=f"user:{user.id}", note=villager_note[:1000], internal_note=user.display_name,
            missing_materials=missing if target == Status.AWAITING_MATERIALS else None, item_type=item_type,
            calendar=calendar or working_calendar(db), today=deadlines.today(),
        )
    except IllegalTransition as exc:  # raced with another agent
        raise ActionProblem(str(exc), current=previous, target=target.value) from exc
    village_code = db.scalar(select(Village.code).where(Village.id == app.village_id))
    record(db, user, "transition", "application", str(app.id), village_code=village_code,
           from_status=previous, to_status=target.value, note=villager_note)
    db.flush()
    return event


def recompute_open_deadlines(db: Session) -> int:
    """After the holiday calendar changes: move the promised dates of running cases."""
    calendar = working_calendar(db)
    count = 0
    running = (Status.ACCEPTED.value, Status.FORWARDED.value, Status.AWAITING_MATERIALS.value)
    for app in db.scalars(select(Application).where(Application.status.in_(running), Application.accepted_on.is_not(None))):
        _accepted, due_on = deadlines.deadline(history(app), app.promised_days, calendar)
        if due_on != app.due_date:
            app.due_date = due_on
            count += 1
    return count
