"""One column map per record kind: how a local row's columns become the wire record's fields.

The same map writes the row (``insert``) and reads it back for upload (``to_wire``), so
a field added to the wire schema without a column, or a column renamed on one side
only, fails the map's own check (``check_covers``, run by the tests) instead of being
silently dropped on the way to the server.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel


def _same(value: Any) -> Any:  # noqa: ANN401
    return value


def _plain(value: Any) -> Any:  # noqa: ANN401
    return str(value) if isinstance(value, UUID) else value


def _iso(value: Any) -> Any:  # noqa: ANN401
    return value.isoformat() if isinstance(value, (date, datetime)) else value


@dataclass(frozen=True)
class Codec:
    """How a wire value is stored in SQLite (``to_row``) and read back (``from_row``)."""

    to_row: Callable[[Any], Any] = _same
    from_row: Callable[[Any], Any] = _same


PLAIN = Codec(_plain, _same)
ISO = Codec(_iso, _same)  # pydantic parses the ISO text back into a date or datetime
JSON_LIST = Codec(lambda v: json.dumps(list(v or []), ensure_ascii=False), lambda v: json.loads(v or "[]"))
# Optional text kept as NULL locally, sent as None.
OPTIONAL = Codec(lambda v: v or None, _same)


@dataclass(frozen=True)
class ColumnMap:
    table: str
    wire: type[BaseModel]
    columns: Mapping[str, tuple[str, Codec]]  # wire field → (local column, codec)
    constant: Mapping[str, Any] = field(default_factory=dict)  # wire fields with a fixed value ("kind")

    def check_covers(self, conn: sqlite3.Connection) -> list[str]:
        """Problems: wire fields without a column, mapped columns missing from the table."""
        present = {row[1] for row in conn.execute(f"PRAGMA table_info({self.table})")}
        problems = [f"{self.table}: wire field {name} has no column" for name in self.wire.model_fields
                    if name not in self.columns and name not in self.constant]
        problems += [f"{self.table}: column {column} missing" for column, _ in self.columns.values()
                     if column not in present]
        return problems

    def row_values(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Wire-named values → column-named values for INSERT/UPDATE."""
        out = {}
        for name, value in values.items():
            column, codec = self.columns[name]
            out[column] = codec.to_row(value)
        return out

    def insert(self, conn: sqlite3.Connection, values: Mapping[str, Any], **local_only: Any) -> None:  # noqa: ANN401
        """INSERT one row from wire-named values plus columns the wire does not carry."""
        row = self.row_values(values) | local_only
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        conn.execute(f"INSERT INTO {self.table} ({names}) VALUES ({marks})", tuple(row.values()))

    def to_wire(self, row: sqlite3.Row) -> dict:
        """The wire record of a local row, validated by the wire schema, as JSON-ready dict."""
        data = {name: codec.from_row(row[column]) for name, (column, codec) in self.columns.items()}
        return self.wire.model_validate({**self.constant, **data}).model_dump(mode="json")

    def serializer(self) -> Callable[[sqlite3.Connection, str], dict | None]:
        """The outbox serializer for this kind: the current row by UUID, or None if it is gone."""

        def serialize(conn: sqlite3.Connection, uuid: str) -> dict | None:
            row = conn.execute(f"SELECT * FROM {self.table} WHERE uuid = ?", (uuid,)).fetchone()
            return None if row is None else self.to_wire(row)

        return serialize
