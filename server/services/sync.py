"""Ingest a kiosk's batch and serve its village's status changes.

Ingest is an idempotent upsert by UUID, done in a handful of statements per batch
(one SELECT and one multi-row INSERT … ON CONFLICT DO NOTHING per kind), so a
retry, a duplicate or a reordered request has exactly-once effect:
- a UUID not seen before is inserted ("created");
- a known UUID with a newer kiosk ``updated_at`` is updated ("updated") — but only in
  the fields the kiosk still owns (``KIOSK_OWNED_AFTER_UPLOAD``): the agents' fields of
  an application (status, materials, dates) are never touched, and once an agent has
  acted on it a kiosk correction of the applicant's details becomes a change request
  for the agents, written to the audit log ("change_requested");
- an equal or older copy changes nothing ("unchanged");
- a record the server cannot take (a rating of another village's application, a token
  or short code that collides) is "rejected" with its reason; the rest is stored;
- a batch with any record naming another village is refused whole (403) before
  anything is written, because a kiosk claiming a foreign village is misconfigured
  or hostile and none of its batch should be trusted.
The wire schema already refuses what a column cannot hold (422). Should the database
still refuse a record (a constraint the schema does not know), the batch is redone one
record per savepoint and only that record is "rejected" — a poison record never turns
a whole village's sync into a 500 that is retried forever.
Two workers inserting the same UUID at once are settled by the unique index: the
loser's ``ON CONFLICT DO NOTHING`` returns no row and it treats the record as
existing.
"""

from __future__ import annotations

import base64
import binascii
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.fernet import Fernet
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from bianmin.domain.fields import INT64_MAX
from bianmin.domain.wire import (
    ApplicationRecord,
    ComplaintRecord,
    HealthReport,
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
from server.models.console import AuditEntry
from server.security import encrypt_id_number

log = logging.getLogger(__name__)

WireRecord = ApplicationRecord | QueueTicketRecord | RatingRecord | ComplaintRecord

MODELS: dict[str, type] = {
    "application": Application,
    "queue_ticket": QueueTicket,
    "rating": Rating,
    "complaint": Complaint,
}

# Who owns which field once the server holds the record (docs/sync.md has the table).
# None = every wire field stays the kiosk's (nobody edits those records on the server).
# Applications: the applicant's details stay the kiosk's until an agent has acted on the
# application; after that a kiosk correction is a change request. Everything else
# (status, materials, promised days, item, token) is fixed or the agents' from upload on.
KIOSK_OWNED_AFTER_UPLOAD: dict[str, frozenset[str] | None] = {
    "application": frozenset({"applicant_name", "phone", "id_number_enc", "note"}),
    "queue_ticket": None,
    "rating": None,
    "complaint": None,
}
# The same fields by their wire names, for the change request an agent reads.
CORRECTABLE_BY_REQUEST = ("applicant_name", "phone", "id_number", "note")
# Bookkeeping columns a kiosk copy never changes.
_NEVER_FROM_KIOSK = {"uuid", "village_id", "device_id", "received_at", "status", "status_changed_at"}


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
    try:
        with session.begin_nested():
            return _ingest(session, device, village, records, fernet)
    except (DataError, IntegrityError) as exc:
        log.warning("batch refused by the database, retrying record by record: %s", exc.orig)
    results: list[RecordResult] = []
    for i, record in enumerate(records):
        try:
            with session.begin_nested():
                results.extend(_ingest(session, device, village, [record], fernet))
        except (DataError, IntegrityError) as exc:
            log.warning("record %s refused by the database: %s", record.uuid, exc.orig)
            results.append(RecordResult(uuid=record.uuid, kind=record.kind, result="rejected",
                                        error=f"records[{i}]: 服务器无法保存此记录 / the database refused this record: "
                                              f"{type(exc.orig).__name__}"))
    return results


def _ingest(session: Session, device: Device, village: Village, records: list[WireRecord],
            fernet: Fernet) -> list[RecordResult]:
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

    foreign = _foreign_applications(session, village, records, newest)
    for (kind, uuid), i in list(newest.items()):
        if kind == "rating" and i in foreign:
            results[i] = RecordResult(uuid=records[i].uuid, kind=kind, result="rejected",
                                      error=f"records[{i}].application_uuid: 该事项不属于本村 / "
                                            "the application belongs to another village")
            del newest[(kind, uuid)]

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
                results[i] = _update(session, existing[uuid], record, village, device, fernet, now)
            else:
                results[i] = RecordResult(
                    uuid=record.uuid, kind=kind, result="rejected",
                    error="token/short_code: 与另一条记录冲突 / collides with another record",
                )
    session.flush()
    return [r for r in results if r is not None]


def _update(session: Session, row: object, record: WireRecord, village: Village, device: Device,
            fernet: Fernet, now: datetime) -> RecordResult:
    """A newer kiosk copy of a record the server holds: only kiosk-owned fields change."""
    if record.updated_at <= row.updated_at:
        return RecordResult(uuid=record.uuid, kind=record.kind, result="unchanged")
    owned = KIOSK_OWNED_AFTER_UPLOAD[record.kind]
    if owned is not None and _agent_has_acted(session, row):
        changes = _requested_changes(row, record, fernet)
        row.updated_at = record.updated_at  # a replay of this copy is "unchanged"
        if not changes:
            return RecordResult(uuid=record.uuid, kind=record.kind, result="unchanged")
        session.add(AuditEntry(
            at=now, user_id=None, username=f"kiosk:{device.id}", action="kiosk_change_request",
            target_type=record.kind, target_id=str(row.id), village_code=village.code,
            note=(f"{record.uuid}: " + "; ".join(f"{field}: {old} → {new}" for field, old, new in changes))[:1000],
        ))
        return RecordResult(uuid=record.uuid, kind=record.kind, result="change_requested",
                            error="已转交经办人核对 / sent to the agent as a change request: "
                                  + ", ".join(field for field, _, _ in changes))
    for name, value in _columns(record, village, device, fernet, now).items():
        if name in _NEVER_FROM_KIOSK or (owned is not None and name not in owned and name != "updated_at"):
            continue
        setattr(row, name, value)
    return RecordResult(uuid=record.uuid, kind=record.kind, result="updated")


def _agent_has_acted(session: Session, row: Application) -> bool:
    """Whether anyone but the kiosk has changed the application (an event after the first)."""
    return session.execute(
        select(ApplicationEvent.id).where(ApplicationEvent.application_id == row.id,
                                          ApplicationEvent.from_status.is_not(None)).limit(1)
    ).first() is not None


def _requested_changes(row: Application, record: ApplicationRecord, fernet: Fernet) -> list[tuple[str, str, str]]:
    from server.security import decrypt_id_number

    changes = []
    for field in CORRECTABLE_BY_REQUEST:
        if field == "id_number":
            old = decrypt_id_number(fernet, row.id_number_enc) if row.id_number_enc else None
            if (old or None) != (record.id_number or None):
                changes.append((field, "（不显示）", "（已更正，不显示）"))  # never an ID number in the log
            continue
        old, new = getattr(row, field) or "", getattr(record, field) or ""
        if old != new:
            changes.append((field, old, new))
    return changes


def _foreign_applications(session: Session, village: Village, records: list[WireRecord],
                          newest: dict[tuple[str, str], int]) -> set[int]:
    """Indexes of ratings that name an application of another village (issue 14: ownership)."""
    wanted = {str(records[i].application_uuid): i for (kind, _), i in newest.items()
              if kind == "rating" and records[i].application_uuid is not None}
    if not wanted:
        return set()
    rows = session.execute(select(Application.uuid, Application.village_id)
                           .where(Application.uuid.in_(list(wanted)))).all()
    foreign_uuids = {u for u, village_id in rows if village_id != village.id}
    return {i for (kind, _), i in newest.items() if kind == "rating"
            and records[i].application_uuid is not None and str(records[i].application_uuid) in foreign_uuids}


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


# ----- kiosk health ------------------------------------------------------------------

def record_health(session: Session, device: Device, report: HealthReport) -> None:
    """Keep the kiosk's latest self-report for the console's health page; the caller commits."""
    session.execute(update(Device).where(Device.id == device.id)
                    .values(health=report.model_dump(mode="json"), health_at=utcnow()))


# ----- status pull -------------------------------------------------------------------

class BadCursor(ValueError):
    pass


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"e1:{position}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The feed position in a cursor; BadCursor for anything this server did not hand out."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        prefix, value = text.split(":", 1)
        position = int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise BadCursor(cursor) from exc
    if prefix != "e1" or not 0 <= position <= INT64_MAX:
        raise BadCursor(cursor)
    return position


def status_changes(session: Session, village_id: int, since: int, limit: int,
                   settle_seconds: float) -> tuple[list[StatusChange], str, bool]:
    """Events of the village after feed position ``since``, in commit order.

    Positions are assigned at commit (see ApplicationEvent), so nothing committed later
    can take a position at or below one already handed out. ``settle_seconds`` only
    delays very fresh events (no longer needed for correctness; 0 is safe): the page
    stops at the first of them, so holding one back never skips it.
    """
    stmt = (
        select(ApplicationEvent.feed_seq, Application.uuid, ApplicationEvent.to_status, ApplicationEvent.at,
               ApplicationEvent.note, ApplicationEvent.missing_materials, ApplicationEvent.due_date)
        .join(Application, Application.id == ApplicationEvent.application_id)
        .where(ApplicationEvent.village_id == village_id, ApplicationEvent.feed_seq > since)
        .order_by(ApplicationEvent.feed_seq)
        .limit(limit + 1)
    )
    rows = session.execute(stmt).all()
    more = len(rows) > limit
    rows = rows[:limit]
    if settle_seconds > 0:  # stop at the first fresh event: holding one back must not skip it
        cutoff = utcnow() - timedelta(seconds=settle_seconds)
        fresh = next((n for n, r in enumerate(rows) if r.at > cutoff), None)
        if fresh is not None:
            rows, more = rows[:fresh], False
    changes = [
        StatusChange(application_uuid=r.uuid, status=r.to_status, changed_at=r.at, note=r.note or "",
                     missing_materials=list(r.missing_materials or []), due_date=r.due_date)
        for r in rows
    ]
    last = rows[-1].feed_seq if rows else since
    return changes, encode_cursor(last), more
