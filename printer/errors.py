"""Printer problems carry a translation key, so the kiosk, the staff panel and the
installer's terminal all show the same plain message in the reader's language."""

from __future__ import annotations

from bianmin.i18n import DEFAULT_LANGUAGE, translate


class PrinterError(Exception):
    """A problem worded for people: ``key`` is a ``printer.*`` translation key."""

    def __init__(self, key: str, **fmt: object) -> None:
        self.key = key
        self.fmt = fmt
        super().__init__(self.message())

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return translate(self.key, lang, **self.fmt)


class LinkError(PrinterError):
    """The link to the printer failed (unreachable, timed out, refused): retry later."""
