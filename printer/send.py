"""Turn one slip into bytes (or a preview) and hand it to a printer, checking status around it.

Used by the print queue's worker and, synchronously, by ``bianmin print-sample``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bianmin.i18n import DEFAULT_LANGUAGE
from printer.emulate import emulate
from printer.errors import LinkError, PrinterError
from printer.escpos import raster_job, text_job
from printer.layouts import layout_for
from printer.links import Link, PreviewLink
from printer.raster import check_width, render_layout
from printer.slips import Slip
from printer.status import PrinterStatus

Mode = Literal["raster", "text"]
MODES = ("raster", "text")


class StatusError(LinkError):
    """The printer answered, and it cannot print now (paper out, cover open, offline)."""

    def __init__(self, status: PrinterStatus) -> None:
        self.status = status
        kind, key = status.kind_and_key()
        super().__init__(key, detail=kind)


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise PrinterError("printer.error.bad_mode", mode=mode)
    return mode


def render_bytes(slip: Slip, width: int, mode: str, lang: str = DEFAULT_LANGUAGE, gbk_only: bool = False) -> bytes:
    """The complete ESC/POS job for a slip (``gbk_only``: see ``printer.escpos.text_job``)."""
    layout = layout_for(slip, lang)
    if check_mode(mode) == "text":
        return text_job(layout, check_width(width), gbk_only)
    return raster_job(render_layout(layout, check_width(width)))


@dataclass(frozen=True)
class SendResult:
    nbytes: int
    status: PrinterStatus | None  # None where the link cannot report status
    preview: Path | None = None


def send_slip(link: Link, slip: Slip, width: int, mode: str, lang: str = DEFAULT_LANGUAGE,
              name: str = "slip") -> SendResult:
    """Print one slip on an open link. Raises ``LinkError`` (retry later) unless the bytes were
    written and the printer, where it can tell, reports it can print."""
    if isinstance(link, PreviewLink):
        if check_mode(mode) == "text":  # what a text-mode printer would make of the bytes
            data = render_bytes(slip, width, mode, lang)
            return SendResult(len(data), None, link.save_image(emulate(data, width), name))
        image = render_layout(layout_for(slip, lang), check_width(width))
        return SendResult(0, None, link.save_image(image, name))
    data = render_bytes(slip, width, mode, lang, gbk_only=link.uri.params.get("font", "").lower() == "gbk")
    before = link.query_status()
    if before is not None and not before.can_print:
        raise StatusError(before)
    link.write(data)
    after = link.query_status()
    if after is not None and not after.can_print:
        raise StatusError(after)
    return SendResult(len(data), after)
