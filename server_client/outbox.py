"""The outbox: which local records still have to reach the server.

A feature commits its record and calls ``mark_dirty`` in the *same* transaction,
so a record can never exist locally without being queued for upload. A row holds
only (kind, uuid); the sync worker builds the payload from the current record at
send time with the serializer registered for that kind, so a typo corrected
before upload is sent once, corrected.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

from bianmin.store import LocalStore

Serializer = Callable[[sqlite3.Connection, str], dict | None]
_SERIALIZERS: dict[str, Serializer] = {}

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS outbox (
        kind TEXT NOT NULL,
        uuid TEXT NOT NULL,
        dirty_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (kind, uuid)
    )""",
]


def ensure_schema(store: LocalStore) -> None:
    store.ensure_schema("outbox", 1, SCHEMA)


def register_serializer(kind: str, serializer: Serializer) -> None:
    """Register how to turn a local record into its wire dict (see bianmin.domain.wire)."""
    _SERIALIZERS[kind] = serializer


def serializer_for(kind: str) -> Serializer | None:
    return _SERIALIZERS.get(kind)


def mark_dirty(conn: sqlite3.Connection, kind: str, uuid: str) -> None:
    """Queue (kind, uuid) for upload; call inside the transaction that wrote the record."""
    now = datetime.now(UTC).isoformat()
    conn.execute(
        "INSERT INTO outbox(kind, uuid, dirty_at) VALUES (?, ?, ?) "
        "ON CONFLICT(kind, uuid) DO UPDATE SET dirty_at = excluded.dirty_at, attempts = 0, last_error = ''",
        (kind, uuid, now),
    )


def pending_count(store: LocalStore) -> int:
    ensure_schema(store)
    return int(store.connect().execute("SELECT COUNT(*) FROM outbox").fetchone()[0])
