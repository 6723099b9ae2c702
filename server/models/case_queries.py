"""Queries on applications for the console's inbox, ledger and exports (beside their models).

Why one module: the inbox and the ledger filter the same cases by the same fields;
they share `CaseFilter` (one validated filter model) and `select_cases`, so a fix
to one filter is a fix to both. Every field is typed with `bianmin.domain.fields`,
so what reaches SQL has no control characters and dates stay in PostgreSQL's range.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError
from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import Session

from bianmin.domain.fields import Line, SaneDate
from bianmin.domain.lifecycle import CLOCK_RUNNING, OPEN_STATES, Status
from bianmin.domain.tracking import normalise_short_code
from server.models.records import Application, ApplicationEvent, Rating

ALL_STATUSES = [s.value for s in Status]
OPEN_VALUES = [s.value for s in OPEN_STATES]
RUNNING_VALUES = [s.value for s in CLOCK_RUNNING]


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


OptionalDay = Annotated[SaneDate | None, BeforeValidator(_blank_is_none)]


class CaseFilter(BaseModel):
    """What the inbox and the ledger filter on; every field optional.

    ``status``: "" = open cases, "all" = every status, or one lifecycle value.
    ``date_from``/``date_to``: registration day (local), both ends included.
    ``due_before``/``overdue``: running cases by promised date. ``q``: short code,
    name prefix or the last four digits of the phone.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    status: Annotated[Line(30), BeforeValidator(_strip)] = ""
    village: Annotated[Line(15), BeforeValidator(_strip)] = ""
    item: Annotated[Line(40), BeforeValidator(_strip)] = ""
    date_from: OptionalDay = None
    date_to: OptionalDay = None
    due_before: OptionalDay = None
    overdue: bool = False
    q: Annotated[Line(40), BeforeValidator(_strip)] = ""

    @classmethod
    def parse(cls, raw: dict[str, str], defaults: dict[str, Any] | None = None) -> tuple[CaseFilter, list[tuple[str, str]]]:
        """A filter from query-string values, and the (field, value) pairs that were refused.

        Refused fields fall back to their default, so the page still shows something
        and says what it ignored (never a 500 for a bad query string).
        """
        data: dict[str, Any] = dict(defaults or {})
        data.update({k: v for k, v in raw.items() if k in cls.model_fields})
        if "overdue" in raw:
            data["overdue"] = raw["overdue"] == "1"
        refused: list[tuple[str, str]] = []
        try:
            return cls.model_validate(data), refused
        except ValidationError as exc:
            for error in exc.errors():
                name = str(error["loc"][0]) if error["loc"] else ""
                if name in data:
                    refused.append((name, str(raw.get(name, ""))))
                    data.pop(name)
                    if defaults and name in defaults:
                        data[name] = defaults[name]
        return cls.model_validate(data), refused

    def query_params(self) -> dict[str, str]:
        """The non-empty fields as query-string values (links to pages and exports)."""
        out = {"status": self.status, "village": self.village, "item": self.item,
               "date_from": self.date_from.isoformat() if self.date_from else "",
               "date_to": self.date_to.isoformat() if self.date_to else "",
               "due_before": self.due_before.isoformat() if self.due_before else "",
               "overdue": "1" if self.overdue else "", "q": self.q}
        return {k: v for k, v in out.items() if v}


def local_start(day: date, zone: tzinfo) -> datetime:
    """The UTC moment the local ``day`` begins."""
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def select_cases(
    f: CaseFilter,
    *,
    village_ids: Sequence[int] | None,
    village_id: int | None | Literal[False],
    zone: tzinfo,
    today: date,
    order: Literal["newest", "oldest", "due"] = "newest",
) -> Select:
    """Applications matching ``f`` within ``village_ids`` (None = every village).

    ``village_id`` is the chosen village already resolved against the user's scope:
    None = no choice, False = a village outside the scope (nothing matches).
    """
    query = select(Application)
    if village_ids is not None:
        query = query.where(Application.village_id.in_(list(village_ids) or [-1]))
    if f.status == "all":
        pass
    elif f.status in ALL_STATUSES:
        query = query.where(Application.status == f.status)
    else:
        query = query.where(Application.status.in_(OPEN_VALUES))
    if village_id is False:
        query = query.where(false())
    elif village_id is not None:
        query = query.where(Application.village_id == village_id)
    if f.item:
        query = query.where(Application.item_code == f.item)
    if f.date_from:
        query = query.where(Application.created_at >= local_start(f.date_from, zone))
    if f.date_to:
        query = query.where(Application.created_at < local_start(f.date_to + timedelta(days=1), zone))
    if f.due_before:
        query = query.where(Application.due_date <= f.due_before, Application.status.in_(RUNNING_VALUES))
    if f.overdue:
        query = query.where(Application.due_date < today, Application.status.in_(RUNNING_VALUES))
    if f.q:
        code = normalise_short_code(f.q)
        if code:
            query = query.where(Application.short_code == code)
        else:
            by_phone = Application.phone.endswith(f.q, autoescape=True) if f.q.isdigit() and len(f.q) == 4 else false()
            query = query.where(or_(Application.applicant_name.startswith(f.q, autoescape=True), by_phone))
    if order == "due":
        return query.order_by(Application.due_date.asc(), Application.id.asc())
    if order == "oldest":
        return query.order_by(Application.created_at.asc(), Application.id.asc())
    return query.order_by(Application.created_at.desc(), Application.id.desc())


def ratings_for(db: Session, uuids: Iterable[str]) -> dict[str, int]:
    """The rating level given to each application (latest if several), by application UUID."""
    found: dict[str, int] = {}
    wanted = list(uuids)
    for start in range(0, len(wanted), 1000):
        rows = db.execute(select(Rating.application_uuid, Rating.level)
                          .where(Rating.application_uuid.in_(wanted[start:start + 1000]))
                          .order_by(Rating.received_at, Rating.id))
        for uuid, level in rows:
            found[uuid] = level
    return found


def forwarded_offices(db: Session, application_ids: Iterable[int]) -> dict[int, str]:
    """The office each application was last forwarded to (转办), by application id.

    The console writes a forwarding as the villager-facing note "office：remark"
    (server.console.process), so the office is the text before the first "：".
    """
    found: dict[int, str] = {}
    wanted = list(application_ids)
    for start in range(0, len(wanted), 1000):
        rows = db.execute(select(ApplicationEvent.application_id, ApplicationEvent.note)
                          .where(ApplicationEvent.application_id.in_(wanted[start:start + 1000]),
                                 ApplicationEvent.to_status == Status.FORWARDED.value)
                          .order_by(ApplicationEvent.at, ApplicationEvent.id))
        for app_id, note in rows:
            found[app_id] = (note or "").split("：", 1)[0]
    return found
