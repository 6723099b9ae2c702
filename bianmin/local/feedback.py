"""好差评 and 投诉箱 on the kiosk: UI-free records, committed locally before anything else.

A rating or a complaint gets a UUID here, is written to the kiosk's SQLite store
and queued in the outbox in the same transaction (so it can never be lost or
forgotten), and later leaves as a wire ``RatingRecord`` / ``ComplaintRecord``.
The screens only call ``save_rating`` / ``save_complaint`` and show the error
keys they raise.
"""

from __future__ import annotations

import sqlite3
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bianmin.domain.wire import ComplaintRecord, RatingRecord
from bianmin.local import outbox
from bianmin.local.columns import ISO, JSON_LIST, PLAIN, ColumnMap
from bianmin.store import LocalStore, register_schema

# 5 非常满意 … 1 非常不满意 (the wire's numbering); 1 and 2 are 差评 and need a reason.
LEVELS: tuple[int, ...] = (5, 4, 3, 2, 1)
LEVEL_KEYS: dict[int, str] = {
    5: "rating.level.5",
    4: "rating.level.4",
    3: "rating.level.3",
    2: "rating.level.2",
    1: "rating.level.1",
}
BAD_LEVELS = frozenset({1, 2})
# Preset reasons for a 差评 (translation keys rating.reason.<id>); the server stores the ids.
BAD_REASONS: tuple[str, ...] = ("slow", "attitude", "unclear", "many_trips", "fee", "other")
# Preset complaint categories (translation keys complaint.category.<id>).
COMPLAINT_CATEGORIES: tuple[str, ...] = ("attitude", "delay", "fee", "absent", "unfair", "other")
MAX_TEXT = 500
MAX_COMPLAINT_TEXT = 1000
MAX_CONTACT = 40

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS ratings (
        uuid TEXT PRIMARY KEY,
        village_code TEXT NOT NULL,
        application_uuid TEXT,
        stage TEXT NOT NULL,
        level INTEGER NOT NULL,
        reasons TEXT NOT NULL DEFAULT '[]',
        text TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    # One rating per application per stage, as on the server (general ratings are unlimited).
    """CREATE UNIQUE INDEX IF NOT EXISTS ratings_one_per_stage
        ON ratings(application_uuid, stage) WHERE application_uuid IS NOT NULL""",
    """CREATE TABLE IF NOT EXISTS complaints (
        uuid TEXT PRIMARY KEY,
        village_code TEXT NOT NULL,
        category TEXT NOT NULL,
        text TEXT NOT NULL,
        about_staff TEXT NOT NULL DEFAULT '',
        contact TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
]
register_schema("feedback", 1, SCHEMA)


class FeedbackError(ValueError):
    """Bad input; ``key`` is a translation key the screen shows as is."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class RatingInput:
    level: int
    reasons: list[str] = field(default_factory=list)
    text: str = ""
    application_uuid: str | None = None  # None = the room's service in general
    stage: str = "general"  # "completion" for an application's rating


@dataclass(frozen=True)
class ComplaintInput:
    category: str
    text: str
    contact: str = ""
    about_staff: str = ""


def ensure_schema(store: LocalStore) -> None:
    outbox.ensure_schema(store)
    store.ensure_schema("feedback", 1, SCHEMA)


def is_bad(level: int) -> bool:
    return level in BAD_LEVELS


def _clean(text: str) -> str:
    """Strip, drop control characters (a scanner or a stuck key can send them)."""
    return "".join(ch for ch in text.strip() if ch == "\n" or ch.isprintable())


def check_rating(data: RatingInput) -> RatingInput:
    """Return a cleaned copy or raise FeedbackError with a translation key."""
    if data.level not in LEVELS:
        raise FeedbackError("rating.error.level")
    reasons = [r for r in dict.fromkeys(data.reasons) if r in BAD_REASONS]
    text = _clean(data.text)
    if len(text) > MAX_TEXT:
        raise FeedbackError("rating.error.too_long")
    if is_bad(data.level) and not reasons and not text:
        raise FeedbackError("rating.error.reason_required")
    if not is_bad(data.level):
        reasons = []
    stage = "completion" if data.application_uuid else "general"
    return RatingInput(data.level, reasons, text, data.application_uuid, stage)


def check_complaint(data: ComplaintInput) -> ComplaintInput:
    if data.category not in COMPLAINT_CATEGORIES:
        raise FeedbackError("complaint.error.category")
    text = _clean(data.text)
    if not text:
        raise FeedbackError("complaint.error.text_required")
    if len(text) > MAX_COMPLAINT_TEXT:
        raise FeedbackError("complaint.error.too_long")
    contact = _clean(data.contact)
    if len(contact) > MAX_CONTACT:
        raise FeedbackError("complaint.error.contact_too_long")
    return ComplaintInput(data.category, text, contact, _clean(data.about_staff)[:40])


def _now() -> str:
    return datetime.now(UTC).isoformat()


def already_rated(store: LocalStore, application_uuid: str, stage: str = "completion") -> bool:
    ensure_schema(store)
    row = store.connect().execute(
        "SELECT 1 FROM ratings WHERE application_uuid = ? AND stage = ?", (application_uuid, stage)
    ).fetchone()
    return row is not None


def save_rating(store: LocalStore, village_code: str, data: RatingInput) -> str:
    """Commit a rating locally and queue it for upload; returns its UUID."""
    ensure_schema(store)
    data = check_rating(data)
    record_uuid = str(uuidlib.uuid4())
    now = _now()
    try:
        with store.transaction() as conn:
            RATING_COLUMNS.insert(conn, {
                "uuid": record_uuid, "village_code": village_code, "application_uuid": data.application_uuid,
                "stage": data.stage, "level": data.level, "reasons": data.reasons, "text": data.text,
                "created_at": now, "updated_at": now,
            })
            outbox.mark_dirty(conn, "rating", record_uuid)
    except sqlite3.IntegrityError as exc:
        raise FeedbackError("rating.error.already_rated") from exc
    return record_uuid


def save_complaint(store: LocalStore, village_code: str, data: ComplaintInput) -> str:
    """Commit a complaint locally and queue it for upload; returns its UUID."""
    ensure_schema(store)
    data = check_complaint(data)
    record_uuid = str(uuidlib.uuid4())
    now = _now()
    with store.transaction() as conn:
        COMPLAINT_COLUMNS.insert(conn, {
            "uuid": record_uuid, "village_code": village_code, "category": data.category, "text": data.text,
            "about_staff": data.about_staff, "contact": data.contact, "created_at": now, "updated_at": now,
        })
        outbox.mark_dirty(conn, "complaint", record_uuid)
    return record_uuid


# One map per kind for the local row and the wire record (bianmin.local.columns).
RATING_COLUMNS = ColumnMap("ratings", RatingRecord, {
    "uuid": ("uuid", PLAIN), "village_code": ("village_code", PLAIN), "application_uuid": ("application_uuid", PLAIN),
    "stage": ("stage", PLAIN), "level": ("level", PLAIN), "reasons": ("reasons", JSON_LIST), "text": ("text", PLAIN),
    "created_at": ("created_at", ISO), "updated_at": ("updated_at", ISO),
}, constant={"kind": "rating"})
COMPLAINT_COLUMNS = ColumnMap("complaints", ComplaintRecord, {
    "uuid": ("uuid", PLAIN), "village_code": ("village_code", PLAIN), "category": ("category", PLAIN),
    "text": ("text", PLAIN), "about_staff": ("about_staff", PLAIN), "contact": ("contact", PLAIN),
    "created_at": ("created_at", ISO), "updated_at": ("updated_at", ISO),
}, constant={"kind": "complaint"})
rating_to_wire = RATING_COLUMNS.serializer()
complaint_to_wire = COMPLAINT_COLUMNS.serializer()


outbox.register_serializer("rating", rating_to_wire)
outbox.register_serializer("complaint", complaint_to_wire)
