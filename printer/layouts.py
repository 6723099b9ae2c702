"""What each slip says, as data: a list of blocks built by pure functions.

A layout knows nothing about dots, fonts or bytes; the raster renderer
(``printer.raster``) and the text-mode encoder (``printer.escpos``) both draw the
same blocks for 384 or 576 dots, so changing a slip means editing one function
here. All wording comes from the translation layer (``printer.*`` keys), names and
phones are masked here (slips have no field for an ID number at all).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from bianmin.domain.masking import mask_id_number, mask_name, mask_phone
from bianmin.domain.tracking import format_short_code
from bianmin.i18n import DEFAULT_LANGUAGE, translate
from printer.slips import GuideSlip, NoticeMaterial, NoticeSlip, ReceiptSlip, Slip, TicketSlip

Size = Literal["small", "normal", "large", "xlarge", "huge"]
Align = Literal["left", "center"]


@dataclass(frozen=True)
class Text:
    """A paragraph. ``prefix`` is printed before the first line and continuation lines
    are indented by its width (labels such as "办理事项：" or list numbers)."""

    text: str
    size: Size = "normal"
    bold: bool = False
    align: Align = "left"
    prefix: str = ""


@dataclass(frozen=True)
class Rule:
    dashed: bool = False


@dataclass(frozen=True)
class Space:
    lines: float = 0.5


@dataclass(frozen=True)
class QR:
    """A QR code, centred with a quiet zone; ``fallback`` is printed instead when the
    payload cannot be printed readably at this paper width."""

    data: str
    fallback: str


@dataclass(frozen=True)
class Cut:
    """End of slip: feed past the tear bar and cut where a cutter exists."""


Block = Text | Rule | Space | QR | Cut


@dataclass(frozen=True)
class Layout:
    kind: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)


def _t(key: str, lang: str, **fmt: object) -> str:
    return translate(f"printer.{key}", lang, **fmt)


def format_datetime(value: datetime, lang: str) -> str:
    return _t("datetime", lang, year=value.year, month=value.month, day=value.day,
              hour=f"{value.hour:02d}", minute=f"{value.minute:02d}")


def format_month_day(value: date, lang: str) -> str:
    return _t("month_day", lang, year=value.year, month=value.month, day=value.day)


def material_counts(m: NoticeMaterial, lang: str) -> str:
    parts = []
    if m.originals:
        parts.append(_t("material.originals", lang, n=m.originals))
    if m.copies:
        parts.append(_t("material.copies", lang, n=m.copies))
    if m.requirement in ("optional", "deferrable"):
        parts.append(_t(f"material.{m.requirement}", lang))
    return " ".join(parts)


def _header(room_name: str, title_key: str, lang: str) -> list[Block]:
    return [
        Text(room_name, align="center"),
        Text(_t(title_key, lang), size="large", bold=True, align="center"),
        Rule(),
    ]


def _footer(lang: str) -> list[Block]:
    return [Space(1.0), Cut()]


def ticket_layout(slip: TicketSlip, lang: str = DEFAULT_LANGUAGE) -> Layout:
    """Queue ticket: the number very large; who is ahead and how long to wait."""
    blocks: list[Block] = [
        Text(slip.room_name, align="center"),
        Text(_t("ticket.title", lang), align="center"),
        Text(slip.number_text, size="huge", bold=True, align="center"),
        Text(slip.line_label, size="large", bold=True, align="center"),
    ]
    if slip.window:
        blocks.append(Text(_t("ticket.window", lang, window=slip.window), align="center"))
    blocks += [
        Rule(dashed=True),
        Text(_t("ticket.ahead", lang, n=slip.people_ahead)),
        Text(_t("ticket.wait", lang, minutes=slip.estimated_wait_minutes)),
        Text(format_datetime(slip.issued_at, lang), prefix=_t("ticket.time", lang)),
        Rule(dashed=True),
        Text(_t("ticket.missed", lang), bold=True, align="center"),
    ]
    return Layout("ticket", tuple(blocks + _footer(lang)))


def promise_text(days: int, promised: date | None, lang: str) -> str:
    if days <= 0:
        return _t("receipt.promise_instant", lang)
    if promised is None:
        return _t("receipt.promise_days", lang, days=days)
    return _t("receipt.promise", lang, days=days, date=format_month_day(promised, lang))


def receipt_layout(slip: ReceiptSlip, lang: str = DEFAULT_LANGUAGE) -> Layout:
    """Application receipt (代办回执): short code and QR first, then the details.

    Name and phone are masked here; there is no ID number on the slip.
    """
    code = format_short_code(slip.short_code) if len(slip.short_code) == 9 else slip.short_code
    blocks: list[Block] = _header(slip.room_name, "receipt.title", lang)
    blocks += [
        Text(_t("receipt.code_label", lang), size="small", align="center"),
        Text(code, size="xlarge", bold=True, align="center"),
        QR(slip.tracking_url, _t("qr_fallback", lang, code=code)),
        Text(_t("receipt.scan_hint", lang), size="small", align="center"),
        Rule(dashed=True),
        Text(slip.item_name, bold=True, prefix=_t("label.item", lang)),
        Text(mask_name(slip.applicant_name), prefix=_t("label.applicant", lang)),
        Text(mask_phone(slip.phone), prefix=_t("label.phone", lang)),
        Text(format_datetime(slip.registered_at, lang), prefix=_t("label.registered", lang)),
        Text(_t("receipt.handed_in", lang, n=len(slip.materials_handed_in)), bold=True),
    ]
    if slip.materials_handed_in:
        blocks += [Text(name, size="small", prefix="√ ") for name in slip.materials_handed_in]
    else:
        blocks.append(Text(_t("none", lang), size="small", prefix="  "))
    if slip.materials_missing:
        blocks.append(Text(_t("receipt.missing", lang, n=len(slip.materials_missing)), bold=True))
        blocks += [Text(name, size="small", prefix="□ ") for name in slip.materials_missing]
    blocks += [
        Rule(dashed=True),
        Text(promise_text(slip.promised_days, slip.promised_date, lang), bold=True),
    ]
    if slip.agent_on_duty:
        blocks.append(Text(slip.agent_on_duty, prefix=_t("label.agent", lang)))
    if slip.complaint_phone:
        blocks.append(Text(slip.complaint_phone, prefix=_t("label.complaint", lang)))
    blocks.append(Text(_t("receipt.keep", lang), size="small", align="center"))
    return Layout("receipt", tuple(blocks + _footer(lang)))


def _material_lines(materials: list[NoticeMaterial], lang: str, mark_missing: bool) -> list[Block]:
    blocks: list[Block] = []
    for i, m in enumerate(materials, start=1):
        counts = material_counts(m, lang)
        text = f"{m.name} {counts}".strip()
        if mark_missing and m.missing:
            text += " " + _t("notice.missing_mark", lang)
        blocks.append(Text(text, size="small", bold=mark_missing and m.missing, prefix=f"{i}. "))
    return blocks


def notice_layout(slip: NoticeSlip, lang: str = DEFAULT_LANGUAGE) -> Layout:
    """一次性告知单: every material with counts, the missing ones marked, where to go."""
    missing = [m for m in slip.materials if m.missing]
    blocks: list[Block] = _header(slip.room_name, "notice.title", lang)
    blocks += [
        Text(slip.item_name, bold=True, prefix=_t("label.item", lang)),
        Text(_t("notice.intro", lang, n=len(slip.materials))),
    ]
    blocks += _material_lines(slip.materials, lang, mark_missing=True)
    blocks.append(Space(0.3))
    if missing:
        blocks.append(Text(_t("notice.missing_summary", lang, n=len(missing)), bold=True))
    else:
        blocks.append(Text(_t("notice.complete", lang), bold=True))
    if slip.where_to_go:
        blocks += [Rule(dashed=True), Text(_t("notice.where_to_go", lang), bold=True),
                   Text(slip.where_to_go)]
    blocks.append(Rule(dashed=True))
    if slip.consult_phone:
        blocks.append(Text(slip.consult_phone, prefix=_t("label.consult", lang)))
    blocks.append(Text(format_datetime(slip.issued_at, lang), prefix=_t("label.issued", lang)))
    if slip.tracking_url:
        blocks += [QR(slip.tracking_url, _t("qr_fallback_plain", lang)),
                   Text(_t("receipt.scan_hint", lang), size="small", align="center")]
    blocks.append(Text(_t("notice.once", lang), size="small", align="center"))
    return Layout("notice", tuple(blocks + _footer(lang)))


def guide_layout(slip: GuideSlip, lang: str = DEFAULT_LANGUAGE) -> Layout:
    """A service guide (办事指南) to take home."""
    blocks: list[Block] = _header(slip.room_name, "guide.title", lang)
    blocks += [Text(slip.item_name, size="large", bold=True)]
    if slip.item_type_label:
        blocks.append(Text(slip.item_type_label, prefix=_t("label.type", lang)))
    blocks.append(Text(_t("guide.materials", lang, n=len(slip.materials)), bold=True))
    blocks += _material_lines(slip.materials, lang, mark_missing=False)
    if slip.steps:
        blocks.append(Text(_t("guide.steps", lang), bold=True))
        blocks += [Text(step, size="small", prefix=f"{i}. ") for i, step in enumerate(slip.steps, start=1)]
    blocks.append(Rule(dashed=True))
    blocks.append(Text(promise_text(slip.promised_days, None, lang), prefix=_t("label.time_limit", lang)))
    if slip.fees:
        blocks.append(Text(slip.fees, prefix=_t("label.fees", lang)))
    if slip.office:
        blocks.append(Text(slip.office, prefix=_t("label.office", lang)))
    if slip.location:
        blocks.append(Text(slip.location, prefix=_t("label.location", lang)))
    if slip.consult_phone:
        blocks.append(Text(slip.consult_phone, prefix=_t("label.consult", lang)))
    return Layout("guide", tuple(blocks + _footer(lang)))


# 18-digit (or old 15-digit) resident ID numbers, wherever someone typed one into free text.
ID_NUMBER_RE = re.compile(r"(?<!\d)(\d{17}[\dXx]|\d{15})(?![\dXx])")


def scrub_id_numbers(text: str) -> str:
    """Mask anything shaped like an ID number (a note or material name typed by staff)."""
    return ID_NUMBER_RE.sub(lambda m: mask_id_number(m.group(0)), text)


def _scrubbed(layout: Layout) -> Layout:
    blocks = tuple(
        dataclasses.replace(b, text=scrub_id_numbers(b.text), prefix=scrub_id_numbers(b.prefix))
        if isinstance(b, Text) else b
        for b in layout.blocks
    )
    return Layout(layout.kind, blocks)


def layout_for(slip: Slip, lang: str = DEFAULT_LANGUAGE) -> Layout:
    """The layout of any slip; ID-number-shaped text is masked whatever field it came in."""
    if isinstance(slip, TicketSlip):
        return _scrubbed(ticket_layout(slip, lang))
    if isinstance(slip, ReceiptSlip):
        return _scrubbed(receipt_layout(slip, lang))
    if isinstance(slip, NoticeSlip):
        return _scrubbed(notice_layout(slip, lang))
    if isinstance(slip, GuideSlip):
        return _scrubbed(guide_layout(slip, lang))
    raise TypeError(f"not a slip: {type(slip).__name__}")


def layout_text(layout: Layout) -> str:
    """All words on a slip, one block per line (for tests and read-aloud)."""
    out = []
    for b in layout.blocks:
        if isinstance(b, Text):
            out.append(b.prefix + b.text)
        elif isinstance(b, QR):
            out.append(f"[QR {b.data}]")
    return "\n".join(out)
