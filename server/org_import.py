"""`bianmin server import-org FILE.csv`: the county's own townships and villages.

A blank server has no organisation; `seed-demo` only makes demo data. A county
lists its divisions once in a spreadsheet saved as CSV (UTF-8, header row):

    county_code,county_name,township_code,township_name,village_code,village_name,township_kind,village_kind
    150121,土默特左旗,150121101,巴彦苏木,150121101001,巴彦嘎查,sumu,gacha

Codes follow GB/T 2260 and the statistical division codes: county 6 digits,
township 9 (county + 3), village 12 (township + 3). The kind columns are optional
(township | sumu, village | gacha). Importing again updates names and adds new rows
by code; nothing is deleted. Each new village gets its service room (便民服务室).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import County, ServiceRoom, Township, Village

REQUIRED = ("county_code", "county_name", "township_code", "township_name", "village_code", "village_name")


class OrgFileError(ValueError):
    """A problem in the file, with its line number, worded for the administrator."""


@dataclass
class OrgRow:
    county_code: str
    county_name: str
    township_code: str
    township_name: str
    village_code: str
    village_name: str
    township_kind: str = "township"
    village_kind: str = "village"


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=lambda: {"county": 0, "township": 0, "village": 0})
    updated: int = 0


def read_rows(path: Path) -> list[OrgRow]:
    """Parse and check every row; raise OrgFileError listing all problems at once."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise OrgFileError(f"缺少列 / missing columns: {', '.join(missing)}")
        rows, problems = [], []
        for line, raw in enumerate(reader, start=2):
            values = {k: (v or "").strip() for k, v in raw.items() if k}
            row = OrgRow(**{k: values[k] for k in REQUIRED},
                         township_kind=values.get("township_kind") or "township",
                         village_kind=values.get("village_kind") or "village")
            problems += [f"第 {line} 行 / line {line}: {p}" for p in _check(row)]
            rows.append(row)
    problems += _inconsistent(rows)
    if problems:
        raise OrgFileError("\n".join(problems))
    if not rows:
        raise OrgFileError("文件中没有数据行 / no data rows")
    return rows


def _check(row: OrgRow) -> list[str]:
    problems = []
    if not re.fullmatch(r"\d{6}", row.county_code):
        problems.append(f"旗代码应为 6 位数字 / county code must be 6 digits: {row.county_code!r}")
    if not re.fullmatch(r"\d{9}", row.township_code) or not row.township_code.startswith(row.county_code):
        problems.append(f"苏木乡镇代码应为旗代码加 3 位 / township code must be the county code + 3 digits: "
                        f"{row.township_code!r}")
    if not re.fullmatch(r"\d{12}", row.village_code) or not row.village_code.startswith(row.township_code):
        problems.append(f"嘎查村代码应为苏木乡镇代码加 3 位 / village code must be the township code + 3 digits: "
                        f"{row.village_code!r}")
    for name in ("county_name", "township_name", "village_name"):
        if not getattr(row, name) or len(getattr(row, name)) > 60:
            problems.append(f"{name} 不能为空且不超过 60 字 / must be 1-60 characters")
    if row.township_kind not in ("township", "sumu"):
        problems.append(f"township_kind 应为 township 或 sumu: {row.township_kind!r}")
    if row.village_kind not in ("village", "gacha"):
        problems.append(f"village_kind 应为 village 或 gacha: {row.village_kind!r}")
    return problems


def _inconsistent(rows: list[OrgRow]) -> list[str]:
    """A county or township repeated on several rows must be written the same way each time."""
    seen: dict[str, tuple] = {}
    problems = []
    for line, row in enumerate(rows, start=2):
        for code, value in ((row.county_code, (row.county_name,)),
                            (row.township_code, (row.township_name, row.township_kind)),
                            (row.village_code, (row.village_name, row.village_kind, row.township_code))):
            if seen.setdefault(code, value) != value:
                problems.append(f"第 {line} 行 / line {line}: 代码 {code} 与前面的行写法不同 / "
                                f"code {code} differs from an earlier row: {value} vs {seen[code]}")
    return problems


def import_org(session: Session, rows: list[OrgRow]) -> ImportReport:
    """Upsert counties, townships and villages by code (inside the caller's transaction)."""
    report = ImportReport()
    touched: set[tuple[str, str]] = set()

    def upsert(model, code: str, level: str, **values: object):  # noqa: ANN001, ANN202
        obj = session.execute(select(model).where(model.code == code)).scalar_one_or_none()
        if obj is None:
            obj = model(code=code, **values)
            session.add(obj)
            session.flush()
            report.created[level] += 1
            return obj, True
        changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
        for key, value in changed.items():
            setattr(obj, key, value)
        if changed and (level, code) not in touched:
            touched.add((level, code))
            report.updated += 1
        return obj, False

    for row in rows:
        county, _ = upsert(County, row.county_code, "county", name=row.county_name)
        township, _ = upsert(Township, row.township_code, "township", name=row.township_name,
                             kind=row.township_kind, county_id=county.id)
        village, new = upsert(Village, row.village_code, "village", name=row.village_name,
                              kind=row.village_kind, township_id=township.id)
        if new:
            session.add(ServiceRoom(village_id=village.id, name=f"{row.village_name}便民服务室"))
    session.flush()
    return report
