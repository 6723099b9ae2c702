"""The outbox: which local records still have to reach the server, and which the server refused.

A feature commits its record and calls ``mark_dirty`` in the *same* transaction,
so a record can never exist locally without being queued for upload. A row holds
only (kind, uuid); the sync worker builds the payload from the current record at
send time with the serializer registered for that kind, so a typo corrected
before upload is sent once, corrected.

A record the server refuses (or the local wire check refuses) is never deleted: it is
*quarantined* — kept in the outbox with its reason, left out of the batches so it
cannot block the records behind it, and shown to staff (设置 → 数据同步). Correcting
the record (any ``mark_dirty``) or pressing "重新发送" (``release``) queues it again.

The outbox is part of the local store (bianmin/local), not of the sync client: the
features write it and the client (server_client/worker.py) only reads and trims it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bianmin.store import LocalStore, register_schema

Serializer = Callable[[sqlite3.Connection, str], dict | None]
_SERIALIZERS: dict[str, Serializer] = {}
REASON_MAX = 500

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS outbox (
        kind TEXT NOT NULL,
        uuid TEXT NOT NULL,
        dirty_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (kind, uuid)
    )""",
    # v2: quarantine (a refused record waits for staff instead of blocking the others).
    "ALTER TABLE outbox ADD COLUMN quarantined_at TEXT",
    "CREATE INDEX IF NOT EXISTS outbox_queue ON outbox(quarantined_at, dirty_at)",
]
COMPONENT, VERSION = "outbox", 2
register_schema(COMPONENT, VERSION, SCHEMA)

OutboxRow = tuple[str, str, str]  # kind, uuid, dirty_at


@dataclass(frozen=True)
class QuarantinedRecord:
    kind: str
    uuid: str
    reason: str
    since: datetime
    attempts: int


def ensure_schema(store: LocalStore) -> None:
    store.ensure_schema(COMPONENT, VERSION, SCHEMA)


def register_serializer(kind: str, serializer: Serializer) -> None:
    """Register how to turn a local record into its wire dict (see bianmin.domain.wire)."""
    _SERIALIZERS[kind] = serializer


def serializer_for(kind: str) -> Serializer | None:
    return _SERIALIZERS.get(kind)


def _now() -> str:
    return datetime.now(UTC).isoformat()


def mark_dirty(conn: sqlite3.Connection, kind: str, uuid: str) -> None:
    """Queue (kind, uuid) for upload; call inside the transaction that wrote the record.

    An edited record leaves quarantine: the correction is what staff were asked for.
    """
    conn.execute(
        "INSERT INTO outbox(kind, uuid, dirty_at) VALUES (?, ?, ?) "
        "ON CONFLICT(kind, uuid) DO UPDATE SET dirty_at = excluded.dirty_at, attempts = 0, last_error = '',"
        " quarantined_at = NULL",
        (kind, uuid, _now()),
    )


def pending_count(store: LocalStore) -> int:
    """Records still to upload (quarantined ones are counted by ``quarantined_count``)."""
    ensure_schema(store)
    return int(store.connect().execute("SELECT COUNT(*) FROM outbox WHERE quarantined_at IS NULL").fetchone()[0])


def quarantined_count(store: LocalStore) -> int:
    ensure_schema(store)
    return int(store.connect().execute("SELECT COUNT(*) FROM outbox WHERE quarantined_at IS NOT NULL").fetchone()[0])


def next_rows(conn: sqlite3.Connection, limit: int) -> list[OutboxRow]:
    """The oldest queued rows (quarantined ones left out); call inside a read transaction."""
    return [tuple(r) for r in conn.execute(
        "SELECT kind, uuid, dirty_at FROM outbox WHERE quarantined_at IS NULL ORDER BY dirty_at LIMIT ?",
        (limit,),
    ).fetchall()]


def confirm(store: LocalStore, rows: list[OutboxRow]) -> None:
    """The server holds these versions: drop them (a row re-dirtied meanwhile has a new dirty_at and stays)."""
    if rows:
        with store.transaction() as conn:
            conn.executemany("DELETE FROM outbox WHERE kind = ? AND uuid = ? AND dirty_at = ?", rows)


def quarantine(store: LocalStore, refused: list[tuple[OutboxRow, str]]) -> None:
    """Keep refused rows with their reason, out of the batches (only the version that was refused)."""
    if not refused:
        return
    now = _now()
    with store.transaction() as conn:
        conn.executemany(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, quarantined_at = ?"
            " WHERE kind = ? AND uuid = ? AND dirty_at = ?",
            [(reason[:REASON_MAX], now, row[0], row[1], row[2]) for row, reason in refused],
        )


def note_failure(store: LocalStore, rows: list[OutboxRow], reason: str) -> None:
    """Count a failed attempt without quarantining (the record stays queued)."""
    if rows:
        with store.transaction() as conn:
            conn.executemany(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE kind = ? AND uuid = ?",
                [(reason[:REASON_MAX], row[0], row[1]) for row in rows],
            )


def quarantined(store: LocalStore, limit: int = 200) -> list[QuarantinedRecord]:
    """Refused records, oldest first, for the staff screen and the health report."""
    ensure_schema(store)
    rows = store.connect().execute(
        "SELECT kind, uuid, last_error, quarantined_at, attempts FROM outbox WHERE quarantined_at IS NOT NULL"
        " ORDER BY quarantined_at LIMIT ?", (limit,),
    ).fetchall()
    return [QuarantinedRecord(r[0], r[1], r[2], datetime.fromisoformat(r[3]), r[4]) for r in rows]


def release(store: LocalStore, kind: str, uuid: str) -> bool:
    """Staff pressed "重新发送": queue a quarantined record again. False if it was not quarantined."""
    ensure_schema(store)
    with store.transaction() as conn:
        cur = conn.execute(
            "UPDATE outbox SET quarantined_at = NULL, dirty_at = ? WHERE kind = ? AND uuid = ?"
            " AND quarantined_at IS NOT NULL", (_now(), kind, uuid),
        )
        return cur.rowcount > 0
