"""The catalogue as an Excel workbook, for county staff who maintain the list in a spreadsheet.

One sheet per table, Chinese headers as in the 事项实施清单 tables: 目录信息 (the
catalogue header as key/value rows), 事项 (one row per item), and 申请材料 / 办理流程 /
设定依据 / 常见问题 (one row per entry, joined to the item by 事项编码). Enumerations
are written as the Chinese words staff use (代办, 苏木乡镇, 容缺后补, 是/否) and read back
either as those words or as the schema's own codes.

``export_xlsx`` followed by ``import_xlsx`` gives an equal Catalogue. Import reports
every problem at once (sheet, row, column), then runs the schema's own checks.
The central server's console (issue 7) reuses these two functions.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from bianmin.domain.catalogue import Catalogue, CatalogueInvalid, parse_catalogue

LIST_SEPARATOR = "、"

ITEM_TYPE_LABELS = {"instant": "即办", "proxy": "代办", "public": "公共服务", "remote": "网上远程协办"}
LEVEL_LABELS = {"village": "村（嘎查）", "township": "苏木乡镇", "county": "旗（县）"}
REQUIREMENT_LABELS = {"required": "必需", "optional": "非必需", "deferrable": "容缺后补"}
SOURCE_LABELS = {"applicant": "申请人自备", "government": "政府部门核发", "other": "其他"}
BOOL_LABELS = {True: "是", False: "否"}

# (header, path in the item dict, kind). kind: str, int, bool, date, list, or a label map.
Kind = str | dict
ITEM_COLUMNS: list[tuple[str, str, Kind]] = [
    ("事项编码", "code", "str"),
    ("事项名称", "name", "str"),
    ("子项名称", "sub_item", "str"),
    ("版本", "version", "int"),
    ("生效日期", "effective_date", "date"),
    ("事项类型", "item_type", ITEM_TYPE_LABELS),
    ("主题分类", "topics", "list"),
    ("受理层级", "accepted_at", LEVEL_LABELS),
    ("决定层级", "decided_at", LEVEL_LABELS),
    ("实施主体", "office", "str"),
    ("服务对象", "applicants", "str"),
    ("受理条件", "conditions", "str"),
    ("法定办结时限（工作日）", "statutory_limit.days", "int"),
    ("承诺办结时限（工作日）", "promised_limit.days", "int"),
    ("是否收费", "fees.charged", "bool"),
    ("收费标准", "fees.standard", "str"),
    ("收费依据", "fees.basis", "str"),
    ("到现场次数", "visits", "int"),
    ("是否网办", "online", "bool"),
    ("办理地点", "location", "str"),
    ("办理时间", "hours", "str"),
    ("咨询电话", "consult_phone", "str"),
    ("投诉电话", "complaint_phone", "str"),
    ("办理结果名称", "result.name", "str"),
    ("办理结果类型", "result.type", "str"),
    ("需填身份证号", "needs_id_number", "bool"),
    ("检索关键词", "keywords", "list"),
]

# Child tables: sheet name, list field on the item, columns.
CHILD_SHEETS: list[tuple[str, str, list[tuple[str, str, Kind]]]] = [
    ("申请材料", "materials", [
        ("材料名称", "name", "str"),
        ("材料要求", "requirement", REQUIREMENT_LABELS),
        ("原件份数", "originals", "int"),
        ("复印件份数", "copies", "int"),
        ("来源渠道", "source", SOURCE_LABELS),
        ("备注", "notes", "str"),
        ("空白表格", "form", "optstr"),
        ("示例样表", "sample", "optstr"),
    ]),
    ("办理流程", "steps", [("办理环节", "name", "str"), ("办理人员", "actor", "str"), ("办理时限", "time", "str")]),
    ("设定依据", "legal_basis", [("依据名称", "name", "str"), ("文号", "number", "str"), ("条款", "article", "str")]),
    ("常见问题", "faq", [("问题", "question", "str"), ("解答", "answer", "str")]),
]

HEADER_ROWS: list[tuple[str, str, Kind]] = [
    ("目录版本", "version", "int"),
    ("发布日期", "published", "date"),
    ("标题", "title", "str"),
    ("示例数据", "sample", "bool"),
    ("说明", "note", "str"),
]
SHEET_HEADER = "目录信息"
SHEET_ITEMS = "事项"
CODE_HEADER = "事项编码"
ORDER_HEADER = "序号"


# -- writing --------------------------------------------------------------------------

def _get(data: dict, path: str) -> Any:
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _out(value: Any, kind: Kind) -> Any:
    if isinstance(kind, dict):
        return kind.get(value, value)
    if kind == "bool":
        return BOOL_LABELS[bool(value)]
    if kind == "list":
        return LIST_SEPARATOR.join(value or [])
    if kind == "date":
        return value if isinstance(value, str) else value.isoformat()
    if kind == "optstr":
        return value
    return value


def export_xlsx(catalogue: Catalogue, path: Path) -> None:
    """Write the catalogue as a workbook (see the module docstring for the sheets)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    data = catalogue.model_dump(mode="json")
    wb = Workbook()
    head = wb.active
    head.title = SHEET_HEADER
    head.append(["项目", "内容"])
    for label, key, kind in HEADER_ROWS:
        head.append([label, _out(data[key], kind)])
    head.column_dimensions["A"].width = 14
    head.column_dimensions["B"].width = 80

    items = wb.create_sheet(SHEET_ITEMS)
    items.append([h for h, _, _ in ITEM_COLUMNS])
    for item in data["items"]:
        items.append([_out(_get(item, key), kind) for _, key, kind in ITEM_COLUMNS])
    for sheet_name, field, columns in CHILD_SHEETS:
        sheet = wb.create_sheet(sheet_name)
        sheet.append([CODE_HEADER, ORDER_HEADER] + [h for h, _, _ in columns])
        for item in data["items"]:
            for order, entry in enumerate(item[field], start=1):
                sheet.append([item["code"], order] + [_out(entry.get(key), kind) for _, key, kind in columns])

    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.freeze_panes = "A2" if sheet.title == SHEET_HEADER else "C2"
        if sheet.title != SHEET_HEADER:
            for column in sheet.iter_cols(min_row=1, max_row=1):
                letter = column[0].column_letter
                sheet.column_dimensions[letter].width = max(10, min(40, len(str(column[0].value)) * 2 + 2))
    # Cells are text so leading zeros in codes and phone numbers survive Excel.
    for sheet in wb.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.number_format = "@"
    tmp = path.with_name(path.name + ".tmp")
    wb.save(tmp)
    tmp.replace(path)


# -- reading --------------------------------------------------------------------------

class _Reader:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def value(self, raw: Any, kind: Kind, where: str) -> Any:
        if isinstance(raw, str):
            raw = raw.strip()
        if isinstance(kind, dict):
            if raw in (None, ""):
                return None
            reverse = {label: code for code, label in kind.items()}
            if raw in reverse:
                return reverse[raw]
            if raw in kind:
                return raw
            self.problems.append(f"{where}: 无法识别“{raw}”，可填：{'、'.join(kind.values())} / unknown value")
            return None
        if kind == "bool":
            if raw in (None, ""):
                return False
            if raw in ("是", True, 1, "true", "TRUE", "yes", "Y", "y"):
                return True
            if raw in ("否", False, 0, "false", "FALSE", "no", "N", "n"):
                return False
            self.problems.append(f"{where}: 请填“是”或“否”（现为“{raw}”）/ expected 是 or 否")
            return False
        if kind == "int":
            if raw in (None, ""):
                return None
            if isinstance(raw, float) and raw.is_integer():
                return int(raw)
            if isinstance(raw, int) and not isinstance(raw, bool):
                return raw
            try:
                return int(str(raw))
            except ValueError:
                self.problems.append(f"{where}: 应为整数（现为“{raw}”）/ expected a whole number")
                return None
        if kind == "date":
            if isinstance(raw, datetime):
                return raw.date().isoformat()
            if isinstance(raw, date):
                return raw.isoformat()
            return None if raw in (None, "") else str(raw)
        if kind == "list":
            if raw in (None, ""):
                return []
            text = str(raw).replace("，", LIST_SEPARATOR).replace(",", LIST_SEPARATOR)
            return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]
        if kind == "optstr":
            return None if raw in (None, "") else str(raw)
        if raw is None:
            return ""
        if isinstance(raw, float) and raw.is_integer():
            return str(int(raw))
        return str(raw)


def _set(data: dict, path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        data = data.setdefault(part, {})
    if value is not None:
        data[parts[-1]] = value


def _rows(sheet, reader: _Reader, expected: list[str]) -> list[tuple[int, dict[str, Any]]]:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    index = {str(h).strip(): i for i, h in enumerate(header) if h is not None}
    missing = [h for h in expected if h not in index]
    if missing:
        reader.problems.append(f"[{sheet.title}] 缺少列：{'、'.join(missing)} / missing columns")
        return []
    out = []
    for number, row in enumerate(rows, start=2):
        if row is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        out.append((number, {h: (row[i] if i < len(row) else None) for h, i in index.items()}))
    return out


def read_xlsx(path: Path) -> dict:
    """The workbook as a raw catalogue mapping; raises CatalogueInvalid on sheet-level problems."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as exc:
        raise CatalogueInvalid([f"找不到文件 / file not found: {path}"]) from exc
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise CatalogueInvalid([f"不是有效的 Excel（.xlsx）文件 / not a valid .xlsx file: {exc}"]) from exc
    reader = _Reader()
    for name in [SHEET_HEADER, SHEET_ITEMS] + [s for s, _, _ in CHILD_SHEETS]:
        if name not in wb.sheetnames:
            reader.problems.append(f"缺少工作表“{name}” / missing sheet {name}")
    if reader.problems:
        raise CatalogueInvalid(reader.problems)

    raw: dict[str, Any] = {}
    labels = {label: (key, kind) for label, key, kind in HEADER_ROWS}
    for number, row in enumerate(wb[SHEET_HEADER].iter_rows(min_row=2, values_only=True), start=2):
        if not row or row[0] is None:
            continue
        label = str(row[0]).strip()
        if label in labels:
            key, kind = labels[label]
            value = reader.value(row[1] if len(row) > 1 else None, kind, f"[{SHEET_HEADER}] 第{number}行")
            if value is not None:
                raw[key] = value

    items: list[dict] = []
    by_code: dict[str, dict] = {}
    for number, row in _rows(wb[SHEET_ITEMS], reader, [h for h, _, _ in ITEM_COLUMNS]):
        item: dict[str, Any] = {}
        for header, key, kind in ITEM_COLUMNS:
            _set(item, key, reader.value(row[header], kind, f"[{SHEET_ITEMS}] 第{number}行 {header}"))
        for key in ("statutory_limit", "promised_limit"):
            item.setdefault(key, {})["unit"] = "working_days"
        for _, field, _ in CHILD_SHEETS:
            item[field] = []
        items.append(item)
        by_code.setdefault(str(item.get("code", "")), item)

    for sheet_name, field, columns in CHILD_SHEETS:
        entries: list[tuple[str, float, int, dict]] = []
        expected = [CODE_HEADER, ORDER_HEADER] + [h for h, _, _ in columns]
        for number, row in _rows(wb[sheet_name], reader, expected):
            where = f"[{sheet_name}] 第{number}行"
            code = reader.value(row[CODE_HEADER], "str", where)
            if code not in by_code:
                reader.problems.append(f"{where} 事项编码: “{code}”在“事项”表中不存在 / unknown item code")
                continue
            entry: dict[str, Any] = {}
            for header, key, kind in columns:
                value = reader.value(row[header], kind, f"{where} {header}")
                if value is not None:
                    entry[key] = value
            order = reader.value(row[ORDER_HEADER], "int", f"{where} {ORDER_HEADER}")
            entries.append((code, order if order is not None else float("inf"), number, entry))
        # Rows may be sorted any way in Excel: 序号 (then row) decides the order within an item.
        for code, _order, _number, entry in sorted(entries, key=lambda e: (e[1], e[2])):
            by_code[code][field].append(entry)
    raw["items"] = items
    if reader.problems:
        raise CatalogueInvalid(reader.problems)
    return raw


def import_xlsx(path: Path) -> Catalogue:
    """Read and validate a workbook; raises CatalogueInvalid listing every problem."""
    return parse_catalogue(read_xlsx(path))

