"""Real-time status (``DLE EOT n``) and the printer state shown to people.

A reply byte is trusted only if its fixed bits are right (bit 1 and 4 set, bit 0
and 7 clear): python-escpos' ``paper_status()`` reports "paper adequate" on an
empty reply, which would mark jobs printed on a dead printer. No reply or a bad
reply is "no reply", and the job stays queued.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bianmin.i18n import DEFAULT_LANGUAGE, translate

Kind = Literal["ready", "paper_low", "paper_out", "offline", "error"]
KINDS: tuple[str, ...] = ("ready", "paper_low", "paper_out", "offline", "error")


def valid_reply(byte: int) -> bool:
    return (byte & 0x93) == 0x12


@dataclass(frozen=True)
class PrinterStatus:
    """Decoded replies to DLE EOT 1 (printer), 2 (offline cause) and 4 (paper sensor)."""

    offline: bool = False
    cover_open: bool = False
    paper_out: bool = False
    paper_low: bool = False
    error: bool = False

    @classmethod
    def from_replies(cls, printer: int, offline_cause: int, paper: int) -> PrinterStatus:
        return cls(
            offline=bool(printer & 0x08),
            cover_open=bool(offline_cause & 0x04),
            paper_out=bool(offline_cause & 0x20) or bool(paper & 0x60),
            paper_low=bool(paper & 0x0C),
            error=bool(offline_cause & 0x40),
        )

    @property
    def can_print(self) -> bool:
        return not (self.offline or self.cover_open or self.paper_out or self.error)

    def kind_and_key(self) -> tuple[Kind, str]:
        if self.paper_out:
            return "paper_out", "printer.state.paper_out"
        if self.cover_open:
            return "offline", "printer.state.cover_open"
        if self.error:
            return "error", "printer.state.error"
        if self.offline:
            return "offline", "printer.state.offline"
        if self.paper_low:
            return "paper_low", "printer.state.paper_low"
        return "ready", "printer.state.ready"


@dataclass(frozen=True)
class PrinterState:
    """What the screens and the staff panel show: a kind, a message and the queue length."""

    kind: Kind = "ready"
    key: str = "printer.state.ready"
    detail: str = ""  # technical detail for the staff panel / logs (already translated if any)
    pending: int = 0
    args: tuple[tuple[str, str], ...] = ()  # format values for ``key`` (e.g. the bad URI)

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return translate(self.key, lang, **{"detail": self.detail, **dict(self.args)})

    @property
    def text(self) -> str:
        return self.message()

    @property
    def ok(self) -> bool:
        return self.kind in ("ready", "paper_low")
