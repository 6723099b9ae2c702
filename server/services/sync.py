"""Ingest a kiosk's batch and serve its village's status changes.

Ingest is an idempotent upsert by UUID, done in a handful of statements per batch
(one SELECT and one multi-row INSERT … ON CONFLICT DO NOTHING per kind), so a
retry, a duplicate or a reordered request has exactly-once effect:
- a UUID not seen before is inserted ("created");
- a known UUID with a newer kiosk ``updated_at`` is updated ("updated");
- an equal or older copy changes nothing ("unchanged");
- a batch with any record naming another village is refused whole (403) before
  anything is written, because a kiosk claiming a foreign village is misconfigured
  or hostile and none of its batch should be trusted.
Two workers inserting the same UUID at once are settled by the unique index: the
loser's ``ON CONFLICT DO NOTHING`` returns no row and it treats the record as
existing.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bianmin.domain.wire import (
    ApplicationRecord,
    ComplaintRecord,
    QueueTicketRecord,
    RatingRecord,
    RecordResult,
    StatusChange,
)
from server.models import (
    Application,
    ApplicationEvent,
    Complaint,
    Device,
    QueueTicket,
    Rating,
    Village,
    utcnow,
)
from server.security import encrypt_id_number

WireRecord = ApplicationRecord | QueueTicketRecord | RatingRecord | ComplaintRecord

MODELS: dict[str, type] = {
    "application": Application,
    "queue_ticket": QueueTicket,
    "rating": Rating,
    "complaint": Complaint,
}


@dataclass
class FieldProblem:
    field: str
    message: str


class VillageMismatch(Exception):
    """A record names (or already belongs to) another village: the batch is refused (403)."""

    def __init__(self, problems: list[FieldProblem]):
        super().__init__("records for another village")
        self.problems = problems


def _columns(record: WireRecord, village: Village, device: Device, fernet: Fernet, now: datetime) -> dict:
    data = record.model_dump(exclude={"kind", "village_code"})
    data["uuid"] = str(record.uuid)
    if isinstance(record, ApplicationRecord):
        data["id_number_enc"] = encrypt_id_number(fernet, data.pop("id_number"))
        data["kiosk_status"] = data["status"]
        data["status_changed_at"] = now
    if isinstance(record, RatingRecord) and record.application_uuid is not None:
        data["application_uuid"] = str(record.application_uuid)
    data["village_id"], data["device_id"], data["received_at"] = village.id, device.id, now
    return data


# Fields a newer kiosk copy may change; server-side state (status, dates) is the agents'.
_UPDATABLE_EXCLUDE = {"uuid", "village_id", "device_id", "received_at", "status", "status_changed_at"}


def _insert(session: Session):  # noqa: ANN202
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def ingest(session: Session, device: Device, village: Village, records: list[WireRecord],
           fernet: Fernet) -> list[RecordResult]:
    """Upsert a batch; the caller commits. Results are in the order of ``records``."""
    problems = [
        FieldProblem(f"records[{i}].village_code", f"不是本终端所属的村 ({village.code}) / not this kiosk's village")
        for i, r in enumerate(records)
        if r.village_code != village.code
    ]
    if problems:
        raise VillageMismatch(problems)

    now = utcnow()
    results: list[RecordResult | None] = [None] * len(records)
    # Within a batch the newest copy of a UUID wins; the others report "unchanged".
    newest: dict[tuple[str, str], int] = {}
    for i, r in enumerate(records):
        key = (r.kind, str(r.uuid))
        j = newest.get(key)
        if j is None or records[j].updated_at < r.updated_at:
            newest[key] = i
    for i, r in enumerate(records):
        if newest[(r.kind, str(r.uuid))] != i:
            results[i] = RecordResult(uuid=r.uuid, kind=r.kind, result="unchanged")

    insert = _insert(session)
    for kind, model in MODELS.items():
        chosen = {uuid: i for (k, uuid), i in newest.items() if k == kind}
        if not chosen:
            continue
        existing = _load(session, model, list(chosen))
        _check_owner(existing, chosen, village)
        # Sorted, so two batches sharing UUIDs lock index entries in the same order (no deadlock).
        fresh = sorted(uuid for uuid in chosen if uuid not in existing)
        created: dict[str, int] = {}
        if fresh:
            rows = [_columns(records[chosen[u]], village, device, fernet, now) for u in fresh]
            stmt = insert(model).on_conflict_do_nothing().returning(model.uuid, model.id)
            created = {u: pk for u, pk in session.execute(stmt, rows).all()}
            lost = [u for u in fresh if u not in created]
            if lost:  # raced with another worker, or a unique token/short code collided
                existing.update(_load(session, model, lost))
                _check_owner(existing, chosen, village)
            if kind == "application" and created:
                session.execute(
                    ApplicationEvent.__table__.insert(),
                    [
                        {
                            "application_id": created[u], "village_id": village.id, "at": now,
                            "actor": f"kiosk:{device.id}", "from_status": None,
                            "to_status": records[chosen[u]].status, "note": "", "internal_note": "",
                            "missing_materials": list(records[chosen[u]].materials_missing),
                            "due_date": None,
                        }
                        for u in created
                    ],
                )
        for uuid, i in chosen.items():
            record = records[i]
            if uuid in created:
                results[i] = RecordResult(uuid=record.uuid, kind=kind, result="created")
            elif uuid in existing:
                row = existing[uuid]
                if record.updated_at > row.updated_at:
                    values = _columns(record, village, device, fernet, now)
                    for name, value in values.items():
                        if name not in _UPDATABLE_EXCLUDE:
                            setattr(row, name, value)
                    results[i] = RecordResult(uuid=record.uuid, kind=kind, result="updated")
                else:
                    results[i] = RecordResult(uuid=record.uuid, kind=kind, result="unchanged")
            else:
                results[i] = RecordResult(
                    uuid=record.uuid, kind=kind, result="rejected",
                    error="token/short_code: 与另一条记录冲突 / collides with another record",
                )
    session.flush()
    return [r for r in results if r is not None]


def _load(session: Session, model: type, uuids: list[str]) -> dict[str, object]:
    stmt = select(model).where(model.uuid.in_(uuids)).order_by(model.uuid)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return {row.uuid: row for row in session.execute(stmt).scalars()}


def _check_owner(existing: dict[str, object], chosen: dict[str, int], village: Village) -> None:
    problems = [
        FieldProblem(f"records[{chosen[u]}].uuid", "该记录属于另一个村 / record belongs to another village")
        for u, row in existing.items()
        if row.village_id != village.id
    ]
    if problems:
        raise VillageMismatch(problems)


# ----- status pull -------------------------------------------------------------------

class BadCursor(ValueError):
    pass


def encode_cursor(event_id: int) -> str:
    return base64.urlsafe_b64encode(f"e1:{event_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        prefix, value = text.split(":", 1)
        event_id = int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise BadCursor(cursor) from exc
    if prefix != "e1" or event_id < 0:
        raise BadCursor(cursor)
    return event_id


def status_changes(session: Session, village_id: int, since: int, limit: int,
                   settle_seconds: float) -> tuple[list[StatusChange], str, bool]:
    """Events of the village after ``since``, oldest first, held back ``settle_seconds``."""
    stmt = (
        select(ApplicationEvent.id, Application.uuid, ApplicationEvent.to_status, ApplicationEvent.at,
               ApplicationEvent.note, ApplicationEvent.missing_materials, ApplicationEvent.due_date)
        .join(Application, Application.id == ApplicationEvent.application_id)
        .where(ApplicationEvent.village_id == village_id, ApplicationEvent.id > since)
        .order_by(ApplicationEvent.id)
        .limit(limit + 1)
    )
    if settle_seconds > 0:
        stmt = stmt.where(ApplicationEvent.at <= utcnow() - timedelta(seconds=settle_seconds))
    rows = session.execute(stmt).all()
    more = len(rows) > limit
    rows = rows[:limit]
    changes = [
        StatusChange(application_uuid=r.uuid, status=r.to_status, changed_at=r.at, note=r.note or "",
                     missing_materials=list(r.missing_materials or []), due_date=r.due_date)
        for r in rows
    ]
    last = rows[-1].id if rows else since
    return changes, encode_cursor(last), more
