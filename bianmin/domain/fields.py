"""Field limits defined once: the wire schema, the kiosk config, the server's forms and columns use these.

Why a module of its own: SQLite stores whatever it is given, PostgreSQL refuses text
longer than its column, NUL bytes, integers outside 64 bits and datetimes outside its
range, and a refusal there is a 500 unless the value was stopped at the door. Every
input that reaches a database is declared with one of these types, so what a schema
accepts always fits the column behind it (tests walk the models to check that).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator, Field

# PostgreSQL integer ranges: an id or count outside them is refused by the database.
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1

# Datetimes a service room can mean. 0001-01-01 with a +14:00 offset is below
# PostgreSQL's timestamptz range once converted to UTC; years past 2200 are typing errors.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
EARLIEST_DATE = EARLIEST.date()
LATEST_DATE = LATEST.date()

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f]")


def _check_text(value: str, *, multiline: bool) -> str:
    pattern = _CONTROL if multiline else _CONTROL_SINGLE_LINE
    if pattern.search(value):
        raise ValueError("不能包含控制字符")
    # Lone surrogates cannot be encoded as UTF-8 and would fail at the database.
    if any(unicodedata.category(ch) == "Cs" for ch in value):
        raise ValueError("包含无法保存的字符")
    return value


def _single_line(value: str) -> str:
    return _check_text(value, multiline=False)


def _multi_line(value: str) -> str:
    return _check_text(value, multiline=True)


def _sane_datetime(value: datetime) -> datetime:
    # The year as written (any offset): what the OpenAPI pattern can say, and far inside
    # PostgreSQL's range whatever the offset does to it.
    if not (FIRST_YEAR <= value.year <= LAST_YEAR):
        raise ValueError(f"时间须在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间")
    return value


def _sane_date(value: date) -> date:
    if not (FIRST_YEAR <= value.year <= LAST_YEAR):
        raise ValueError(f"日期须在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间")
    return value


FIRST_YEAR, LAST_YEAR = EARLIEST.year, LATEST.year - 1
YEAR_PATTERN = "^(20[0-9]{2}|21[0-9]{2})-"  # FIRST_YEAR..LAST_YEAR, for the OpenAPI document


# The same rule as a JSON Schema pattern, so the OpenAPI document says what is accepted
# (clients and schemathesis generate conforming text); the validators above give the message.
LINE_PATTERN = "^[^\\x00-\\x1f\\x7f]*$"
PARAGRAPH_PATTERN = "^[^\\x00-\\x08\\x0b-\\x1f\\x7f]*$"


def Line(max_length: int, min_length: int = 0):  # noqa: N802 - reads as a type in annotations
    """One line of text: no control characters, at most ``max_length`` characters."""
    return Annotated[str, Field(min_length=min_length, max_length=max_length,
                                json_schema_extra={"pattern": LINE_PATTERN}), AfterValidator(_single_line)]


def Paragraph(max_length: int, min_length: int = 0):  # noqa: N802
    """Free text that may hold line breaks and tabs, but no other control characters."""
    return Annotated[str, Field(min_length=min_length, max_length=max_length,
                                json_schema_extra={"pattern": PARAGRAPH_PATTERN}), AfterValidator(_multi_line)]


SaneDatetime = Annotated[datetime, Field(json_schema_extra={"pattern": YEAR_PATTERN}),
                         AfterValidator(_sane_datetime)]
SaneDate = Annotated[date, Field(json_schema_extra={"pattern": YEAR_PATTERN}), AfterValidator(_sane_date)]
Int32 = Annotated[int, Field(ge=-INT32_MAX - 1, le=INT32_MAX)]
PositiveInt32 = Annotated[int, Field(ge=1, le=INT32_MAX)]
Int64 = Annotated[int, Field(ge=-INT64_MAX - 1, le=INT64_MAX)]


def clean_line(value: str, max_length: int) -> str | None:
    """For hand-read form fields and query strings: the value if it is safe, else None."""
    if len(value) > max_length or _CONTROL_SINGLE_LINE.search(value):
        return None
    if any(unicodedata.category(ch) == "Cs" for ch in value):
        return None
    return value
