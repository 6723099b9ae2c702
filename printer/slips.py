"""What goes on each slip: plain data, no layout and no printer.

Callers pass raw personal data; the layouts mask names and phones themselves and
have no field for an ID number, so no caller can print one by mistake.
Every slip is JSON-serialisable (``to_dict``/``slip_from_dict``) because print
jobs are persisted in the local store until printed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class TicketSlip:
    room_name: str
    line_label: str  # 证照代办
    number_text: str  # A012
    people_ahead: int
    estimated_wait_minutes: int
    issued_at: datetime
    window: str = ""
    kind: str = "ticket"


@dataclass(frozen=True)
class ReceiptSlip:
    room_name: str
    item_name: str
    short_code: str  # 9 symbols, formatted XXXX-XXXX-X by the layout
    tracking_url: str
    applicant_name: str  # masked by the layout
    phone: str  # masked by the layout
    materials_handed_in: list[str]
    materials_missing: list[str]
    promised_days: int
    promised_date: date | None
    registered_at: datetime
    agent_on_duty: str = ""
    complaint_phone: str = ""
    kind: str = "receipt"


@dataclass(frozen=True)
class NoticeMaterial:
    name: str
    originals: int
    copies: int
    requirement: str  # required | optional | deferrable
    missing: bool


@dataclass(frozen=True)
class NoticeSlip:
    """一次性告知单: every required material with counts, which are missing, where to go."""

    room_name: str
    item_name: str
    materials: list[NoticeMaterial]
    where_to_go: str  # where to apply if the village cannot handle it ('' if it can)
    consult_phone: str
    issued_at: datetime
    tracking_url: str = ""
    kind: str = "notice"


@dataclass(frozen=True)
class GuideSlip:
    room_name: str
    item_name: str
    item_type_label: str
    materials: list[NoticeMaterial]
    steps: list[str]
    promised_days: int
    fees: str
    office: str
    location: str = ""
    consult_phone: str = ""
    kind: str = "guide"


Slip = TicketSlip | ReceiptSlip | NoticeSlip | GuideSlip
_KINDS: dict[str, type] = {"ticket": TicketSlip, "receipt": ReceiptSlip, "notice": NoticeSlip, "guide": GuideSlip}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def to_dict(slip: Slip) -> dict[str, Any]:
    return _plain(asdict(slip))


def slip_from_dict(data: dict[str, Any]) -> Slip:
    cls = _KINDS[data["kind"]]
    values = dict(data)
    for key in ("issued_at", "registered_at"):
        if isinstance(values.get(key), str):
            values[key] = datetime.fromisoformat(values[key])
    if isinstance(values.get("promised_date"), str):
        values["promised_date"] = date.fromisoformat(values["promised_date"])
    if "materials" in values:
        values["materials"] = [NoticeMaterial(**m) if isinstance(m, dict) else m for m in values["materials"]]
    return cls(**values)


__all__ = ["TicketSlip", "ReceiptSlip", "NoticeSlip", "NoticeMaterial", "GuideSlip", "Slip", "to_dict", "slip_from_dict"]
