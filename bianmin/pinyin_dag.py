"""Pinyin2Hanzi's DAG tables in SQLite, so the name keyboard does not hold them in memory.

``Pinyin2Hanzi.DefaultDagParams`` parses 22 MB of JSON into dicts: ~80 MB resident
and ~0.4 s on the kiosk, for a keyboard that looks up a few dozen keys per
keystroke. The same tables are copied once into ``<data dir>/pinyin/dag.sqlite3``
by a short-lived child process (so the kiosk never holds the parsed JSON either)
and read with indexed look-ups (microseconds each).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from Pinyin2Hanzi.interface import AbstractDagParams

from bianmin import paths

SCHEMA = 2


def _source_files() -> list[Path]:
    import Pinyin2Hanzi

    data = Path(Pinyin2Hanzi.__file__).with_name("data")
    return [data / "dag_char.json", data / "dag_phrase.json"]


def _stamp() -> str:
    """Changes when Pinyin2Hanzi's data changes (an upgrade rebuilds the database)."""
    return json.dumps([SCHEMA] + [[p.name, p.stat().st_size, int(p.stat().st_mtime)] for p in _source_files()])


def default_path() -> Path:
    return paths.data_dir() / "pinyin" / "dag.sqlite3"


def _current(path: Path) -> bool:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == _stamp()


def build(path: Path) -> None:
    """Copy the JSON tables into SQLite (run in a child process: the JSON is big)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    try:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        for name, source in zip(("char", "phrase"), _source_files(), strict=True):
            conn.execute(f"CREATE TABLE {name} (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
            with source.open(encoding="utf-8") as fh:
                table = json.load(fh)
            conn.executemany(f"INSERT INTO {name} VALUES (?, ?)",  # noqa: S608 - fixed names
                             ((k, json.dumps(v, ensure_ascii=False)) for k, v in table.items()))
            del table
        conn.execute("INSERT INTO meta VALUES ('stamp', ?)", (_stamp(),))
        conn.commit()
    finally:
        conn.close()
    os.replace(tmp, path)


def ensure(path: Path | None = None) -> Path:
    """The database, built first (in a child process) if missing or out of date."""
    path = path or default_path()
    if not _current(path):
        subprocess.run([sys.executable, "-m", "bianmin.pinyin_dag", str(path)], check=True, timeout=300)
    return path


class SqliteDagParams(AbstractDagParams):
    """Drop-in for ``Pinyin2Hanzi.DefaultDagParams`` (``get_phrase``), read from SQLite."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()

    def get_phrase(self, pinyin_list: list[str], num: int = 6) -> list:
        if not pinyin_list:
            return []
        # As Pinyin2Hanzi: one syllable is looked up in the character table, more in phrases.
        sql = "SELECT value FROM char WHERE key = ?" if len(pinyin_list) == 1 else "SELECT value FROM phrase WHERE key = ?"
        with self._lock:
            row = self._conn.execute(sql, (",".join(pinyin_list),)).fetchone()
        return json.loads(row[0])[:num] if row else []


def load_params() -> object:
    """SQLite-backed params; the in-memory ones if the database cannot be made."""
    try:
        return SqliteDagParams(ensure())
    except (OSError, sqlite3.Error, subprocess.SubprocessError):
        from Pinyin2Hanzi import DefaultDagParams

        return DefaultDagParams()


if __name__ == "__main__":
    build(Path(sys.argv[1]))
