"""A corrupt kiosk database is set aside at start and readable records are salvaged."""

from __future__ import annotations

import sqlite3

from bianmin.local import outbox
from bianmin.store import LocalStore


def _fill(store: LocalStore, n: int) -> None:
    store.ensure_schema("demo_records", 1, ["CREATE TABLE IF NOT EXISTS demo_records (uuid TEXT PRIMARY KEY, body TEXT)"])
    outbox.ensure_schema(store)
    with store.transaction() as conn:
        for i in range(n):
            uuid = f"u{i:05d}"
            conn.execute("INSERT INTO demo_records VALUES (?, ?)", (uuid, "x" * 200))
            outbox.mark_dirty(conn, "demo", uuid)
    store.connect().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()


def test_healthy_database_is_left_alone(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    _fill(LocalStore(path), 10)
    store = LocalStore(path)
    assert store.recovery is None
    assert store.connect().execute("SELECT COUNT(*) FROM demo_records").fetchone()[0] == 10


def test_corrupt_database_is_set_aside_and_rows_salvaged(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    _fill(LocalStore(path), 2000)
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 40 * page
    # Damage two leaf pages of the table's b-tree, a fifth of the way in, as the test always
    # did (found by their content, so the test does not depend on which other tables the
    # registered components created first).
    leaves = [p for p in range(1, len(data) // page) if b"x" * 200 in data[p * page : (p + 1) * page]]
    for p in leaves[len(leaves) // 5 : len(leaves) // 5 + 2]:
        data[p * page : (p + 1) * page] = b"\xde\xad\xbe\xef" * (page // 4)
    path.write_bytes(bytes(data))

    store = LocalStore(path)
    report = store.recovery
    assert report is not None
    assert report.set_aside.exists() and report.set_aside != path
    recovered = store.connect().execute("SELECT COUNT(*) FROM demo_records").fetchone()[0]
    assert report.read_errors > 0
    assert 1000 < recovered < 2000  # most rows survive two damaged pages
    assert recovered == report.rows_recovered["demo_records"]
    assert outbox.pending_count(store) > 0
    # The new database is healthy and writable.
    with store.transaction() as conn:
        conn.execute("INSERT INTO demo_records VALUES ('new', 'ok')")
    assert sqlite3.connect(path).execute("PRAGMA quick_check").fetchone()[0] == "ok"


def test_garbage_file_starts_empty_but_working(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    store = LocalStore(path)
    assert store.recovery is not None
    store.set_setting("k", "v")
    assert store.get_setting("k") == "v"
