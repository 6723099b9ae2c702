"""Proxy applications (代办件) registered at the kiosk: the local ledger, UI-free.

An application is written in ONE transaction together with its outbox row, so after
a power cut it either exists complete and queued for upload, or not at all. Slips are
built from the committed record afterwards by ``printer.application_slips`` (saved
first, then printed), so a printing problem never loses an application and a reprint
shows the corrected record. This module knows nothing of printers or the network.
"""

from __future__ import annotations

import json
import sqlite3
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from bianmin import i18n
from bianmin.config import Config
from bianmin.domain.calendar import WorkingCalendar
from bianmin.domain.catalogue import ServiceItem
from bianmin.domain.idnumber import check_id_number
from bianmin.domain.phone import check_phone
from bianmin.domain.tracking import new_short_code, new_token
from bianmin.domain.wire import ApplicationRecord
from bianmin.local import outbox
from bianmin.local.columns import ISO, JSON_LIST, OPTIONAL, PLAIN, ColumnMap
from bianmin.store import LocalStore, register_schema

KIND = "application"
NAME_MAX = 40
NOTE_MAX = 500

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS applications (
        uuid TEXT PRIMARY KEY,
        village_code TEXT NOT NULL,
        token TEXT NOT NULL UNIQUE,
        short_code TEXT NOT NULL UNIQUE,
        item_code TEXT NOT NULL,
        item_name TEXT NOT NULL,
        item_version INTEGER NOT NULL,
        applicant_name TEXT NOT NULL,
        phone TEXT NOT NULL,
        id_number TEXT,
        note TEXT NOT NULL DEFAULT '',
        materials_brought TEXT NOT NULL,
        materials_missing TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('submitted', 'awaiting_materials')),
        promised_days INTEGER NOT NULL,
        promised_date TEXT,
        consent_at TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        service_day TEXT NOT NULL,
        receipt_job TEXT NOT NULL DEFAULT '',
        notice_job TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX IF NOT EXISTS applications_day ON applications(service_day)",
]
register_schema("applications", 1, SCHEMA)


class ApplicationInvalid(ValueError):
    """Input the ledger refuses; ``errors`` maps field → translation key."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class NotCorrectable(Exception):
    """The application has already reached the server; the agent corrects it there."""


@dataclass(frozen=True)
class Application:
    uuid: str
    token: str
    short_code: str
    item_code: str
    item_name: str
    item_version: int
    applicant_name: str
    phone: str
    id_number: str | None
    note: str
    materials_brought: list[str]
    materials_missing: list[str]
    status: str
    promised_days: int
    promised_date: date | None
    consent_at: datetime
    created_at: datetime
    updated_at: datetime
    service_day: date
    receipt_job: str = ""
    notice_job: str = ""
    pending_upload: bool = field(default=True, compare=False)


def ensure_schema(store: LocalStore) -> None:
    outbox.ensure_schema(store)
    store.ensure_schema("applications", 1, SCHEMA)


def calendar_from_config(config: Config) -> WorkingCalendar:
    return WorkingCalendar.of(config.holidays, config.workdays)


# ----- validation --------------------------------------------------------------------
def check_name(name: str) -> str:
    """'' if the name is acceptable, else a translation key."""
    name = name.strip()
    if not name:
        return "apply.name_empty"
    if len(name) > NAME_MAX:
        return "apply.name_too_long"
    return ""


def validate(item: ServiceItem, name: str, phone: str, id_number: str, note: str) -> tuple[dict[str, str], dict[str, str]]:
    """(errors field → key, cleaned values) for the applicant's details."""
    errors: dict[str, str] = {}
    clean: dict[str, str] = {}
    if reason := check_name(name):
        errors["name"] = reason
    clean["name"] = " ".join(name.split())
    phone_check = check_phone(phone)
    if not phone_check.ok:
        errors["phone"] = phone_check.reason
    clean["phone"] = phone_check.normalised
    clean["id_number"] = ""
    if item.needs_id_number:
        id_check = check_id_number(id_number)
        if not id_check.ok:
            errors["id_number"] = id_check.reason
        clean["id_number"] = id_check.normalised
    if len(note) > NOTE_MAX:
        errors["note"] = "apply.note_too_long"
    clean["note"] = note.strip()
    return errors, clean


def missing_materials(item: ServiceItem, brought: list[str] | set[str]) -> tuple[list[str], list[str]]:
    """(required missing, all missing incl. 容缺后补) in catalogue order; optional ones never count."""
    have = set(brought)
    required = [m.name for m in item.materials if m.requirement == "required" and m.name not in have]
    missing = [m.name for m in item.materials if m.requirement != "optional" and m.name not in have]
    return required, missing


def promise(item: ServiceItem, calendar: WorkingCalendar, today: date) -> tuple[int, date]:
    """Promised working days and the estimated date if accepted today (clock from the day after)."""
    days = item.promised_limit.days
    return days, calendar.add_working_days(today, days)


def promise_text(days: int, due: date | None, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """材料齐全受理后 N 个工作日内办结（预计 X月X日）."""
    if days == 0 or due is None:
        return i18n.translate("apply.promise_same_day", lang)
    return i18n.translate("apply.promise", lang, days=days, month=due.month, day=due.day)


# ----- writing -----------------------------------------------------------------------
def create_application(
    store: LocalStore,
    item: ServiceItem,
    *,
    name: str,
    phone: str,
    id_number: str = "",
    note: str = "",
    materials_brought: list[str] | None = None,
    consent_at: datetime,
    village_code: str,
    calendar: WorkingCalendar | None = None,
    now: datetime | None = None,
) -> Application:
    """Validate and commit one application with its outbox row, in one transaction."""
    errors, clean = validate(item, name, phone, id_number, note)
    if errors:
        raise ApplicationInvalid(errors)
    ensure_schema(store)
    now = now or datetime.now(UTC)
    local_day = now.astimezone().date()
    brought_set = set(materials_brought or [])
    brought = [m.name for m in item.materials if m.name in brought_set]
    required_missing, missing = missing_materials(item, brought)
    days, due = promise(item, calendar or WorkingCalendar(), local_day)
    app_uuid = str(uuidlib.uuid4())
    token = new_token()
    status = "awaiting_materials" if required_missing else "submitted"
    stamp = now.isoformat()
    with store.transaction() as conn:
        short_code = _unused_short_code(conn)
        COLUMNS.insert(conn, {
            "uuid": app_uuid, "village_code": village_code, "token": token, "short_code": short_code,
            "item_code": item.code, "item_name": item.name, "item_version": item.version,
            "applicant_name": clean["name"], "phone": clean["phone"], "id_number": clean["id_number"],
            "note": clean["note"], "materials_brought": brought, "materials_missing": missing, "status": status,
            "promised_days": days, "consent_at": consent_at, "created_at": stamp, "updated_at": stamp,
        }, promised_date=due.isoformat(), service_day=local_day.isoformat())
        outbox.mark_dirty(conn, KIND, app_uuid)
    found = get_application(store, app_uuid)
    assert found is not None
    return found


def _unused_short_code(conn: sqlite3.Connection) -> str:
    while True:  # 40 random bits: a clash is astronomically rare, but cheap to rule out
        code = new_short_code()
        if conn.execute("SELECT 1 FROM applications WHERE short_code = ?", (code,)).fetchone() is None:
            return code


def correct_application(store: LocalStore, app_uuid: str, *, name: str | None = None, phone: str | None = None) -> Application:
    """Staff fix a typo in name or phone before upload; the record is queued again."""
    ensure_schema(store)
    errors: dict[str, str] = {}
    updates: dict[str, str] = {}
    if name is not None:
        if reason := check_name(name):
            errors["name"] = reason
        updates["applicant_name"] = " ".join(name.split())
    if phone is not None:
        check = check_phone(phone)
        if not check.ok:
            errors["phone"] = check.reason
        updates["phone"] = check.normalised
    if errors:
        raise ApplicationInvalid(errors)
    with store.transaction() as conn:
        row = conn.execute("SELECT uuid FROM applications WHERE uuid = ?", (app_uuid,)).fetchone()
        if row is None:
            raise KeyError(app_uuid)
        if not _pending(conn, app_uuid):
            raise NotCorrectable(app_uuid)
        if updates:
            updates["updated_at"] = datetime.now(UTC).isoformat()
            assignments = ", ".join(f"{column} = ?" for column in updates)
            conn.execute(f"UPDATE applications SET {assignments} WHERE uuid = ?", (*updates.values(), app_uuid))
            outbox.mark_dirty(conn, KIND, app_uuid)
    found = get_application(store, app_uuid)
    assert found is not None
    return found


def record_print_job(store: LocalStore, app_uuid: str, *, receipt_job: str | None = None, notice_job: str | None = None) -> None:
    """Remember the print jobs of an application (staff reprint the receipt by it)."""
    with store.transaction() as conn:
        if receipt_job is not None:
            conn.execute("UPDATE applications SET receipt_job = ? WHERE uuid = ?", (receipt_job, app_uuid))
        if notice_job is not None:
            conn.execute("UPDATE applications SET notice_job = ? WHERE uuid = ?", (notice_job, app_uuid))


# ----- reading -----------------------------------------------------------------------
def _pending(conn: sqlite3.Connection, app_uuid: str) -> bool:
    return conn.execute("SELECT 1 FROM outbox WHERE kind = ? AND uuid = ?", (KIND, app_uuid)).fetchone() is not None


def _from_row(conn: sqlite3.Connection, row: sqlite3.Row) -> Application:
    return Application(
        uuid=row["uuid"],
        token=row["token"],
        short_code=row["short_code"],
        item_code=row["item_code"],
        item_name=row["item_name"],
        item_version=row["item_version"],
        applicant_name=row["applicant_name"],
        phone=row["phone"],
        id_number=row["id_number"],
        note=row["note"],
        materials_brought=json.loads(row["materials_brought"]),
        materials_missing=json.loads(row["materials_missing"]),
        status=row["status"],
        promised_days=row["promised_days"],
        promised_date=date.fromisoformat(row["promised_date"]) if row["promised_date"] else None,
        consent_at=datetime.fromisoformat(row["consent_at"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        service_day=date.fromisoformat(row["service_day"]),
        receipt_job=row["receipt_job"],
        notice_job=row["notice_job"],
        pending_upload=_pending(conn, row["uuid"]),
    )


def get_application(store: LocalStore, app_uuid: str) -> Application | None:
    ensure_schema(store)
    conn = store.connect()
    row = conn.execute("SELECT * FROM applications WHERE uuid = ?", (app_uuid,)).fetchone()
    return _from_row(conn, row) if row else None


def todays_applications(store: LocalStore, day: date | None = None) -> list[Application]:
    """The day's applications, newest first (the staff list)."""
    ensure_schema(store)
    day = day or date.today()
    conn = store.connect()
    rows = conn.execute(
        "SELECT * FROM applications WHERE service_day = ? ORDER BY created_at DESC", (day.isoformat(),)
    ).fetchall()
    return [_from_row(conn, row) for row in rows]


# ----- upload ------------------------------------------------------------------------
# One map for the local row and the wire record (bianmin.local.columns).
COLUMNS = ColumnMap("applications", ApplicationRecord, {
    "uuid": ("uuid", PLAIN), "village_code": ("village_code", PLAIN), "item_code": ("item_code", PLAIN),
    "item_name": ("item_name", PLAIN), "item_version": ("item_version", PLAIN),
    "applicant_name": ("applicant_name", PLAIN), "phone": ("phone", PLAIN), "id_number": ("id_number", OPTIONAL),
    "note": ("note", PLAIN), "materials_brought": ("materials_brought", JSON_LIST),
    "materials_missing": ("materials_missing", JSON_LIST), "status": ("status", PLAIN), "token": ("token", PLAIN),
    "short_code": ("short_code", PLAIN), "promised_days": ("promised_days", PLAIN),
    "consent_at": ("consent_at", ISO), "created_at": ("created_at", ISO), "updated_at": ("updated_at", ISO),
}, constant={"kind": KIND})
serialize = COLUMNS.serializer()  # the outbox serializer: the wire record (None if the application is gone)


outbox.register_serializer(KIND, serialize)
