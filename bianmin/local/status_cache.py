"""What the kiosk knows about its applications' progress while offline.

The sync worker copies status changes from the server into ``status_cache`` and
remembers when the last successful sync finished, so a villager checking progress
on the kiosk sees "已受理（截至 10:32）" even when the link is down.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from bianmin.store import LocalStore, register_schema

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS status_cache (
        application_uuid TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        changed_at TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        missing_materials TEXT NOT NULL DEFAULT '[]',
        due_date TEXT,
        synced_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS sync_documents (
        name TEXT PRIMARY KEY,
        etag TEXT NOT NULL,
        body TEXT NOT NULL,
        fetched_at TEXT NOT NULL
    )""",
]

register_schema("sync_status", 1, SCHEMA)

CURSOR_KEY = "sync.status_cursor"
LAST_SUCCESS_KEY = "sync.last_success"


@dataclass(frozen=True)
class CachedStatus:
    application_uuid: str
    status: str
    changed_at: datetime
    note: str
    missing_materials: list[str]
    due_date: date | None
    as_of: datetime | None  # time of the last successful sync ("截至 10:32")


def ensure_schema(store: LocalStore) -> None:
    store.ensure_schema("sync_status", 1, SCHEMA)


def save_change(conn: sqlite3.Connection, change: object, synced_at: str) -> None:
    """Upsert one wire StatusChange (call inside a transaction)."""
    conn.execute(
        "INSERT INTO status_cache(application_uuid, status, changed_at, note, missing_materials, due_date, synced_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(application_uuid) DO UPDATE SET status = excluded.status, "
        "changed_at = excluded.changed_at, note = excluded.note, missing_materials = excluded.missing_materials, "
        "due_date = excluded.due_date, synced_at = excluded.synced_at",
        (
            str(change.application_uuid), change.status, change.changed_at.isoformat(), change.note,
            json.dumps(list(change.missing_materials), ensure_ascii=False),
            change.due_date.isoformat() if change.due_date else None, synced_at,
        ),
    )


def last_sync_time(store: LocalStore) -> datetime | None:
    value = store.get_setting(LAST_SUCCESS_KEY)
    return datetime.fromisoformat(value) if value else None


def cached_status(store: LocalStore, application_uuid: str) -> CachedStatus | None:
    ensure_schema(store)
    row = store.connect().execute(
        "SELECT * FROM status_cache WHERE application_uuid = ?", (application_uuid,)
    ).fetchone()
    if row is None:
        return None
    return CachedStatus(
        application_uuid=row["application_uuid"], status=row["status"],
        changed_at=datetime.fromisoformat(row["changed_at"]), note=row["note"],
        missing_materials=json.loads(row["missing_materials"] or "[]"),
        due_date=date.fromisoformat(row["due_date"]) if row["due_date"] else None,
        as_of=last_sync_time(store),
    )


def cached_document(store: LocalStore, name: str) -> dict | None:
    """The last downloaded 'notices' or 'roster' (or 'catalogue') document, if any."""
    ensure_schema(store)
    row = store.connect().execute("SELECT body FROM sync_documents WHERE name = ?", (name,)).fetchone()
    return json.loads(row["body"]) if row else None


def document_etag(store: LocalStore, name: str) -> str:
    ensure_schema(store)
    row = store.connect().execute("SELECT etag FROM sync_documents WHERE name = ?", (name,)).fetchone()
    return row["etag"] if row else ""
