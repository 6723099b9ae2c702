"""The shared field limits refuse what PostgreSQL would refuse, with a message, before any database."""

from __future__ import annotations

from datetime import datetime

import pytest
from pydantic import BaseModel, ValidationError

from bianmin.domain.fields import INT64_MAX, Int64, Line, Paragraph, SaneDatetime, clean_line


class Sample(BaseModel):
    name: Line(20, min_length=1)
    note: Paragraph(100) = ""
    at: SaneDatetime | None = None
    version: Int64 = 1


def test_accepts_ordinary_values() -> None:
    s = Sample(name="王秀英", note="第一行\n第二行\t完", at="2026-12-01T08:30:00+08:00", version=3)
    assert s.name == "王秀英" and s.note.count("\n") == 1


@pytest.mark.parametrize("bad", [
    {"name": "a\x00b"},
    {"name": "x" * 21},
    {"name": ""},
    {"name": "line\nbreak"},
    {"name": "ok", "note": "nul\x00"},
    {"name": "ok", "note": "\ud800"},
    {"name": "ok", "at": "0001-01-01T00:00:00+14:00"},
    {"name": "ok", "at": "9999-12-31T00:00:00"},
    {"name": "ok", "version": INT64_MAX + 1},
])
def test_refuses_what_postgresql_cannot_store(bad: dict) -> None:
    with pytest.raises(ValidationError) as err:
        Sample(**bad)
    assert err.value.errors()[0]["loc"]  # names the field


def test_naive_datetimes_are_bounded_too() -> None:
    assert Sample(name="a", at=datetime(2026, 1, 1)).at.year == 2026


def test_clean_line() -> None:
    assert clean_line("王", 5) == "王"
    assert clean_line("a\x00", 5) is None
    assert clean_line("abcdef", 5) is None
