"""Console inputs checked at the door, with the limits of `bianmin.domain.fields`.

Why: PostgreSQL refuses NUL bytes, integers beyond 32 bits and dates past year
9999 with an error that would otherwise surface as a 500; SQLite stores them and
hides the bug. Every form field, query string and URL id the console reads goes
through one of these before it reaches a query. Bad values raise `BadInput`
(a translation key with its arguments), which pages show as a readable message.
"""

from __future__ import annotations

from datetime import date

from pydantic import TypeAdapter, ValidationError

from bianmin.domain.fields import INT32_MAX, SaneDate, clean_line

_SANE_DATE = TypeAdapter(SaneDate)


class BadInput(ValueError):
    """A value the console will not pass on; `key` is a translation key for the message."""

    def __init__(self, key: str, **fmt: object):
        super().__init__(key)
        self.key, self.fmt = key, fmt


def line(value: object, max_length: int) -> str:
    """One stripped line of text (cut to ``max_length``); BadInput if it holds control characters."""
    if not isinstance(value, str):
        return ""
    text = value.strip()[:max_length]
    if clean_line(text, max_length) is None:
        raise BadInput("console.error.control_chars")
    return text


def paragraph(value: object, max_length: int) -> str:
    """Free text that may keep line breaks and tabs, but no other control characters."""
    if not isinstance(value, str):
        return ""
    text = value.strip()[:max_length]
    if clean_line(text.replace("\r\n", "\n").replace("\n", " ").replace("\t", " "), max_length) is None:
        raise BadInput("console.error.control_chars")
    return text


def record_id(text: str) -> int | None:
    """A database id from a URL or form: ASCII digits only, 1 .. 2**31-1, else None."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    value = int(text)
    return value if 0 < value <= INT32_MAX else None


def day(text: str) -> date | None:
    """An ISO date between the years fields.py allows; None when empty; BadInput otherwise."""
    text = text.strip()
    if not text:
        return None
    try:
        return _SANE_DATE.validate_python(date.fromisoformat(text[:20]))
    except (ValueError, ValidationError) as exc:
        raise BadInput("console.error.bad_date", value=text[:20]) from exc
