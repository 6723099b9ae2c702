"""A stand-in kiosk feature for sync tests: application records kept as JSON, with the
outbox serializer a real feature would register. Used in-process and by the child
worker process of the SIGKILL test."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from bianmin.local import outbox
from bianmin.store import LocalStore

SCHEMA = ["CREATE TABLE IF NOT EXISTS fake_applications (uuid TEXT PRIMARY KEY, body TEXT NOT NULL)"]


def install(store: LocalStore) -> None:
    store.ensure_schema("fake_applications", 1, SCHEMA)
    outbox.ensure_schema(store)


def serialize(conn: sqlite3.Connection, uuid: str) -> dict | None:
    row = conn.execute("SELECT body FROM fake_applications WHERE uuid = ?", (uuid,)).fetchone()
    return json.loads(row[0]) if row else None


def register() -> None:
    outbox.register_serializer("application", serialize)


def add(store: LocalStore, records: list[dict]) -> None:
    """Commit records and queue them in one transaction (as features must)."""
    with store.transaction() as conn:
        for record in records:
            conn.execute("INSERT OR REPLACE INTO fake_applications(uuid, body) VALUES (?, ?)",
                         (record["uuid"], json.dumps(record, ensure_ascii=False)))
            outbox.mark_dirty(conn, "application", record["uuid"])


def edit(store: LocalStore, uuid: str, **changes: object) -> dict:
    with store.transaction() as conn:
        record = serialize(conn, uuid)
        record.update(changes)
        record["updated_at"] = datetime.now(UTC).isoformat()
        conn.execute("UPDATE fake_applications SET body = ? WHERE uuid = ?", (json.dumps(record, ensure_ascii=False), uuid))
        outbox.mark_dirty(conn, "application", uuid)
    return record
