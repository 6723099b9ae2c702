"""The service catalogue (办事指南): schema, loading and validation.

Fields follow the national 政务服务事项 implementation-list tables (design.md §3).
The file is YAML so county staff can read a diff; ``validate_file`` reports every
problem at once, each with the item code and field, because staff fix a whole
list in one sitting rather than one error per run.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

ItemType = Literal["instant", "proxy", "public", "remote"]
Level = Literal["village", "township", "county"]
Requirement = Literal["required", "optional", "deferrable"]  # deferrable = 容缺后补
MaterialSource = Literal["applicant", "government", "other"]

ITEM_TYPES: tuple[str, ...] = ("instant", "proxy", "public", "remote")
TOPICS: tuple[str, ...] = (
    "社会保障", "医疗保障", "民政救助", "户籍证件", "生育", "建房土地", "涉农补贴", "证明开具",
    "法律咨询", "农技信息", "就业信息", "市场主体", "交通", "林草", "文化", "公益服务", "民事调解",
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LegalBasis(_Model):
    name: str = Field(min_length=1)
    number: str = ""  # 文号, e.g. 国务院令第649号
    article: str = ""  # 条款


class Material(_Model):
    name: str = Field(min_length=1)
    requirement: Requirement = "required"
    originals: int = Field(0, ge=0, le=20)
    copies: int = Field(0, ge=0, le=20)
    source: MaterialSource = "applicant"
    notes: str = ""
    form: str | None = None  # blank form file under assets/
    sample: str | None = None  # filled sample under assets/

    @model_validator(mode="after")
    def _some_paper(self) -> Material:
        if self.originals == 0 and self.copies == 0:
            raise ValueError("原件和复印件份数不能都为 0 / originals and copies cannot both be 0")
        return self


class Step(_Model):
    name: str = Field(min_length=1)
    actor: str = ""
    time: str = ""


class TimeLimit(_Model):
    """A time limit: a number of working days (0 = on the spot)."""

    days: int = Field(ge=0, le=365)
    unit: Literal["working_days"] = "working_days"


class Fee(_Model):
    charged: bool = False
    standard: str = ""
    basis: str = ""

    @model_validator(mode="after")
    def _standard_when_charged(self) -> Fee:
        if self.charged and not (self.standard and self.basis):
            raise ValueError("收费事项必须写明收费标准和依据 / a charged item needs standard and basis")
        return self


class Result(_Model):
    name: str = Field(min_length=1)
    type: str = "证明"


class Faq(_Model):
    question: str = Field(min_length=1)
    answer: str = Field(min_length=1)


class ServiceItem(_Model):
    code: str = Field(pattern=r"^[0-9A-Z]{6,40}$")  # 实施编码
    name: str = Field(min_length=1, max_length=200)
    sub_item: str = ""
    version: int = Field(1, ge=1)
    effective_date: date = date(2026, 1, 1)
    item_type: ItemType
    topics: list[str] = Field(min_length=1)
    accepted_at: Level = "village"
    decided_at: Level
    office: str = Field(min_length=1)  # 实施主体
    applicants: str = Field(min_length=1)  # 服务对象
    conditions: str = ""  # 受理条件
    legal_basis: list[LegalBasis] = []
    materials: list[Material] = []
    steps: list[Step] = Field(min_length=1)
    statutory_limit: TimeLimit
    promised_limit: TimeLimit
    fees: Fee = Fee()
    visits: int = Field(0, ge=0, le=5)  # 到现场次数
    online: bool = False
    location: str = ""
    hours: str = ""
    consult_phone: str = ""
    complaint_phone: str = ""
    result: Result
    faq: list[Faq] = []
    needs_id_number: bool = False  # the application form asks for the ID number
    keywords: list[str] = []  # extra search words villagers use (e.g. 低保 for 最低生活保障)

    @model_validator(mode="after")
    def _limits(self) -> ServiceItem:
        if self.promised_limit.days > self.statutory_limit.days:
            raise ValueError(
                f"承诺时限({self.promised_limit.days})不能超过法定时限({self.statutory_limit.days}) / "
                "promised limit must not exceed statutory limit"
            )
        for topic in self.topics:
            if topic not in TOPICS:
                raise ValueError(f"未知主题 {topic!r} / unknown topic; allowed: {', '.join(TOPICS)}")
        return self

    @property
    def required_materials(self) -> list[Material]:
        return [m for m in self.materials if m.requirement == "required"]


class Catalogue(_Model):
    version: int = Field(ge=1)
    published: date
    title: str = ""
    sample: bool = False  # True: sample data to be replaced by the county's published list
    note: str = ""
    items: list[ServiceItem]

    @model_validator(mode="after")
    def _unique_codes(self) -> Catalogue:
        seen: set[str] = set()
        for item in self.items:
            if item.code in seen:
                raise ValueError(f"事项编码重复 / duplicate item code {item.code}")
            seen.add(item.code)
        return self

    def by_code(self) -> dict[str, ServiceItem]:
        return {item.code: item for item in self.items}


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CatalogueInvalid(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _loc(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(item)"


def collect_problems(raw: Any) -> list[str]:
    """Every problem in a raw catalogue mapping, each naming item code and field."""
    problems: list[str] = []
    if not isinstance(raw, dict):
        return ["文件顶层必须是映射（version, published, items）/ top level must be a mapping"]
    header = {k: v for k, v in raw.items() if k != "items"}
    try:
        Catalogue.model_validate({**header, "items": []})
    except ValidationError as exc:
        for err in exc.errors():
            problems.append(f"(catalogue) {_loc(err['loc'])}: {err['msg']}")
    items = raw.get("items")
    if not isinstance(items, list):
        problems.append("(catalogue) items: 必须是事项列表 / must be a list of items")
        return problems
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        code = item.get("code", f"#{index + 1}") if isinstance(item, dict) else f"#{index + 1}"
        try:
            ServiceItem.model_validate(item)
        except ValidationError as exc:
            for err in exc.errors():
                problems.append(f"{code} {_loc(err['loc'])}: {err['msg']}")
        if code in seen:
            problems.append(f"{code} code: 事项编码重复（第 {seen[code]} 项与第 {index + 1} 项）/ duplicate code")
        seen[str(code)] = index + 1
    return problems


def parse_catalogue(raw: Any) -> Catalogue:
    problems = collect_problems(raw)
    if problems:
        raise CatalogueInvalid(problems)
    return Catalogue.model_validate(raw)


def read_raw(path: Path) -> Any:
    try:
        # The C loader (libyaml) is several times faster; the kiosk loads this at start-up.
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)  # noqa: S506 - safe
    except FileNotFoundError as exc:
        raise CatalogueInvalid([f"找不到文件 / file not found: {path}"]) from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CatalogueInvalid([f"文件格式错误 / not valid YAML: {exc}"]) from exc


def load_catalogue(path: Path) -> Catalogue:
    """Load and validate; raises CatalogueInvalid listing every problem."""
    return parse_catalogue(read_raw(path))


def dump_catalogue(catalogue: Catalogue, path: Path) -> None:
    data = catalogue.model_dump(mode="json", exclude_defaults=False)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    tmp.replace(path)
