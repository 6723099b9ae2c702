"""Detect a corrupt kiosk database at start, set it aside, and salvage what can be read.

A village terminal loses power without warning; SQLite in WAL mode with
synchronous=FULL survives that, but a failing SD card or disk does not. The kiosk
must keep working: the damaged file is moved aside (never deleted — a technician
may recover more from it), a fresh database is created, and every row that can
still be read is copied into it, above all the records not yet uploaded (the
outbox). Staff are told through a recovery report the app shows.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

log = logging.getLogger(__name__)

_MAX_ERRORS_PER_TABLE = 64


@dataclass
class RecoveryReport:
    set_aside: Path
    rows_recovered: dict[str, int] = field(default_factory=dict)
    tables_lost: list[str] = field(default_factory=list)
    read_errors: int = 0

    @property
    def total_recovered(self) -> int:
        return sum(self.rows_recovered.values())

    def summary(self) -> str:
        return (
            f"set aside {self.set_aside.name}; recovered {self.total_recovered} rows "
            f"from {len(self.rows_recovered)} tables; {self.read_errors} unreadable spots; "
            f"lost tables: {', '.join(self.tables_lost) or 'none'}"
        )


def is_healthy(path: Path) -> bool:
    """True if the file is absent/empty or passes PRAGMA quick_check."""
    if not path.exists() or path.stat().st_size == 0:
        return True
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False
    return rows == [("ok",)]


def _set_aside(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    path.replace(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.replace(target.with_name(target.name + suffix))
    return target


def _salvage_table(src: sqlite3.Connection, dst: sqlite3.Connection, table: str, report: RecoveryReport) -> None:
    """Copy readable rows in rowid order, jumping (doubling) past unreadable spots."""
    quoted = '"' + table.replace('"', '""') + '"'
    try:
        max_rowid = src.execute(f"SELECT max(rowid) FROM {quoted}").fetchone()[0]
    except sqlite3.DatabaseError:
        max_rowid = None
    copied, errors, jump, last = 0, 0, 1, -(2**63)
    while True:
        try:
            cur = src.execute(f"SELECT rowid, * FROM {quoted} WHERE rowid > ? ORDER BY rowid LIMIT 500", (last,))
            rows = cur.fetchall()
        except sqlite3.DatabaseError:
            errors += 1
            report.read_errors += 1
            if errors > _MAX_ERRORS_PER_TABLE or (max_rowid is not None and last >= max_rowid):
                break
            last = max(last, 0) + jump
            jump *= 2
            continue
        jump = 1
        if not rows:
            break
        placeholders = ", ".join("?" for _ in range(len(rows[0]) - 1))
        for row in rows:
            try:
                dst.execute(f"INSERT OR IGNORE INTO {quoted} VALUES ({placeholders})", tuple(row[1:]))
                copied += 1
            except sqlite3.DatabaseError:
                report.read_errors += 1
        last = rows[-1][0]
    report.rows_recovered[table] = copied


def recover_if_corrupt(path: Path) -> RecoveryReport | None:
    """If `path` is corrupt: set it aside, rebuild from what is readable, return a report."""
    if is_healthy(path):
        return None
    log.error("kiosk database %s is corrupt; setting it aside", path)
    aside = _set_aside(path)
    report = RecoveryReport(set_aside=aside)
    try:
        src = sqlite3.connect(f"file:{aside}?mode=ro", uri=True, timeout=5)
        tables = src.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    except sqlite3.DatabaseError:
        log.exception("schema unreadable; starting with an empty database")
        report.tables_lost.append("(schema)")
        return report
    dst = sqlite3.connect(path)
    try:
        for name, sql in tables:
            try:
                dst.execute(sql)
            except sqlite3.DatabaseError:
                report.tables_lost.append(name)
                continue
            _salvage_table(src, dst, name, report)
        dst.commit()
        indexes = src.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall()
        for (sql,) in indexes:
            try:
                dst.execute(sql)
            except sqlite3.DatabaseError:
                pass
        dst.commit()
    except sqlite3.DatabaseError:
        log.exception("salvage stopped early")
    finally:
        dst.close()
        src.close()
    log.error("recovery: %s", report.summary())
    return report
