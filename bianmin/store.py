"""The kiosk's local store: one SQLite file, durable before anything is printed or sent.

WAL journal with ``synchronous=FULL``: once ``transaction()`` returns, the record
survives a power cut. Each feature owns its tables and registers its DDL with
``register_schema(component, version, statements)`` when its module is imported, so the
applications, the queue, the print queue and the outbox never edit one shared schema
file. The schema is applied once, when the store opens (and once more for a component
registered later); after that ``ensure_schema`` is an in-memory check, so reads never
take the write lock just to look at the schema.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from bianmin import paths
from bianmin.store_recovery import RecoveryReport, recover_if_corrupt

_REGISTERED: dict[str, tuple[int, tuple[str, ...]]] = {}
SETTINGS_SCHEMA = ("CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT)",)


def register_schema(component: str, version: int, statements: Sequence[str]) -> None:
    """Declare a component's tables; every store opened afterwards applies them at open."""
    _REGISTERED[component] = (version, tuple(statements))


register_schema("settings", 1, SETTINGS_SCHEMA)


class LocalStore:
    """A thread-safe handle on the kiosk database (one connection per thread)."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path else paths.data_dir() / "kiosk.sqlite3"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._schema_lock = threading.Lock()
        self._applied: dict[str, int] = {}
        self.recovery: RecoveryReport | None = recover_if_corrupt(self.path)
        with self.transaction() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
            )
        for component, (version, statements) in list(_REGISTERED.items()):
            self.ensure_schema(component, version, statements)

    def connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=True)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT; rolls back on any exception."""
        conn = self.connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def ensure_schema(self, component: str, version: int, statements: Sequence[str]) -> None:
        """Apply a component's DDL once per version (statements must be idempotent or additive).

        Cheap after the first call for a component: no transaction, no lock on the file.
        """
        if self._applied.get(component, 0) >= version:
            return
        with self._schema_lock, self.transaction() as conn:
            row = conn.execute(
                "SELECT version FROM schema_versions WHERE component = ?", (component,)
            ).fetchone()
            if row is not None and row["version"] >= version:
                self._applied[component] = row["version"]
                return
            for stmt in statements:
                conn.execute(stmt)
            conn.execute(
                "INSERT INTO schema_versions(component, version) VALUES (?, ?) "
                "ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                (component, version),
            )
        self._applied[component] = version

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        self.ensure_schema("settings", 1, SETTINGS_SCHEMA)
        row = self.connect().execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else default

    def set_setting(self, key: str, value: str) -> None:
        self.ensure_schema("settings", 1, SETTINGS_SCHEMA)
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
