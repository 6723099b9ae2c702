"""The ledger (台账): one row per application, in the columns a township expects.

Kept free of the database: the routes build `LedgerRow`s from a scoped query, and
this module only turns them into CSV or XLSX. Phones are masked here, so no export
path can leak a full number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bianmin.domain.masking import mask_phone
from bianmin.i18n import translate

# (translation key, width in the spreadsheet)
COLUMNS: tuple[tuple[str, int], ...] = (
    ("console.ledger.col.seq", 6),
    ("console.ledger.col.registered", 12),
    ("console.ledger.col.village", 16),
    ("console.ledger.col.item", 30),
    ("console.ledger.col.applicant", 10),
    ("console.ledger.col.phone", 14),
    ("console.ledger.col.status", 10),
    ("console.ledger.col.accepted", 12),
    ("console.ledger.col.due", 14),
    ("console.ledger.col.completed", 12),
    ("console.ledger.col.overdue", 8),
    ("console.ledger.col.forwarded_to", 16),
    ("console.ledger.col.rating", 10),
    ("console.ledger.col.agent", 10),
    ("console.ledger.col.code", 13),
    ("console.ledger.col.note", 30),
)


@dataclass(frozen=True)
class LedgerRow:
    registered_on: date
    village: str
    item: str
    applicant: str
    phone: str
    status: str  # lifecycle value; translated on export
    accepted_on: date | None
    due_on: date | None
    finished_on: date | None
    overdue: bool | None  # None: not decidable yet (no promised date: not accepted)
    agent: str
    short_code: str
    note: str = ""
    forwarded_to: str = ""
    rating: int | None = None  # 1..5


def headers(lang: str = "zh_CN") -> list[str]:
    return [translate(key, lang) for key, _width in COLUMNS]


def _cells(seq: int, row: LedgerRow, lang: str) -> list[object]:
    yes, no = translate("common.yes", lang), translate("common.no", lang)
    return [
        seq,
        row.registered_on,
        row.village,
        row.item,
        row.applicant,
        mask_phone(row.phone),
        translate(f"status.{row.status}", lang),
        row.accepted_on,
        row.due_on,
        row.finished_on,
        translate("console.ledger.not_decidable", lang) if row.overdue is None else yes if row.overdue else no,
        row.forwarded_to,
        translate(f"rating.level.{row.rating}", lang) if row.rating else "",
        row.agent,
        row.short_code,
        row.note,
    ]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _safe_csv(text: str) -> str:
    # A cell starting with = + - @ would run as a formula when the township opens the file.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(rows: Iterable[LedgerRow], lang: str = "zh_CN") -> bytes:
    """UTF-8 with a BOM so that Excel on a township PC shows the Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers(lang))
    for seq, row in enumerate(rows, start=1):
        writer.writerow([_safe_csv(_text(cell)) for cell in _cells(seq, row, lang)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Iterable[LedgerRow], title: str, lang: str = "zh_CN") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = translate("console.ledger.sheet", lang)[:31]
    ncols = len(COLUMNS)
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    fill = PatternFill("solid", fgColor="DDE7F3")
    for col, text in enumerate(headers(lang), start=1):
        cell = ws.cell(row=2, column=col, value=text)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = COLUMNS[col - 1][1]
    r = 2
    for seq, row in enumerate(rows, start=1):
        r += 1
        for col, value in enumerate(_cells(seq, row, lang), start=1):
            if isinstance(value, str):
                value = value if value[:1] != "=" else "'" + value  # never a formula
            cell = ws.cell(row=r, column=col, value=value)
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{get_column_letter(ncols)}{max(r, 2)}"
    # Printed on the township's A4 printer: landscape, every column on one page width,
    # the header rows repeated on each page.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:2"
    ws.print_options.horizontalCentered = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
