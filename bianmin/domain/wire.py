"""The sync wire schema between a kiosk and the central server (design.md §6).

Every record carries the UUID it got on the kiosk; the server upserts by it, so
a retried or duplicated batch is harmless. ``updated_at`` lets the server ignore
an older copy that arrives after a newer one (reordered requests).

One contract for wire and storage: every field is declared with the limits of
``bianmin.domain.fields`` and the lengths below, which are also the lengths of the
server's columns (server/models/records.py imports them) and of the kiosk's config
(queue window labels). A record this schema accepts always fits the database, so a
record the server cannot store is a 422 naming its field, never a 500 that blocks a
village's sync (tests/server/test_wire_contract.py walks the models to check it).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from bianmin.domain.fields import Line, Paragraph, PositiveInt32, SaneDate, SaneDatetime
from bianmin.domain.tracking import check_symbol, is_strong_token

MAX_BATCH = 200

# Column lengths shared by the wire schema, the server's columns and the kiosk config.
VILLAGE_CODE_MAX = 15
ITEM_CODE_MAX = 40
ITEM_NAME_MAX = 200
NAME_MAX = 40
PHONE_MAX = 12
NOTE_MAX = 500
MATERIAL_MAX = 100
TOKEN_MAX = 64
SHORT_CODE_LEN = 9
WINDOW_MAX = 20
STAGE_MAX = 20
REASON_MAX = 40
CATEGORY_MAX = 40
COMPLAINT_TEXT_MAX = 1000
ABOUT_STAFF_MAX = 40
CONTACT_MAX = 40
ERROR_MAX = 500

VillageCode = Annotated[str, Field(pattern=r"^\d{6,15}$", max_length=VILLAGE_CODE_MAX)]


def _strong_token(value: str) -> str:
    if not is_strong_token(value):
        raise ValueError("追踪码不是终端生成的随机码 / not a random tracking token")
    return value


def _checked_short_code(value: str) -> str:
    if check_symbol(value[:8]) != value[8]:
        raise ValueError("查询码校验位不符 / short code check symbol does not match")
    return value


TrackingToken = Annotated[str, Field(min_length=22, max_length=TOKEN_MAX), AfterValidator(_strong_token)]
ShortCode = Annotated[str, Field(pattern=r"^[0-9A-HJKMNP-TV-Z]{8}[0-9A-Z*~$=]$",
                                 min_length=SHORT_CODE_LEN, max_length=SHORT_CODE_LEN),
                      AfterValidator(_checked_short_code)]
Material = Line(MATERIAL_MAX, 1)


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ApplicationRecord(_Wire):
    kind: Literal["application"] = "application"
    uuid: UUID
    village_code: VillageCode
    item_code: Line(ITEM_CODE_MAX, 1)
    item_name: Line(ITEM_NAME_MAX, 1)
    item_version: PositiveInt32 = 1
    applicant_name: Line(NAME_MAX, 1)
    phone: Annotated[str, Field(pattern=r"^\d{7,12}$", max_length=PHONE_MAX)]
    id_number: Annotated[str, Field(pattern=r"^\d{17}[\dX]$")] | None = None
    note: Paragraph(NOTE_MAX) = ""
    materials_brought: list[Material] = Field(default_factory=list, max_length=60)
    materials_missing: list[Material] = Field(default_factory=list, max_length=60)
    status: Literal["submitted", "awaiting_materials"] = "submitted"
    token: TrackingToken
    short_code: ShortCode
    promised_days: int = Field(ge=0, le=365)
    consent_at: SaneDatetime
    created_at: SaneDatetime
    updated_at: SaneDatetime


class QueueTicketRecord(_Wire):
    kind: Literal["queue_ticket"] = "queue_ticket"
    uuid: UUID
    village_code: VillageCode
    line: str = Field(pattern=r"^[A-Z]$", max_length=1)
    number: int = Field(ge=1, le=999)
    service_day: SaneDate
    issued_at: SaneDatetime
    called_at: SaneDatetime | None = None
    served_at: SaneDatetime | None = None
    no_show_at: SaneDatetime | None = None
    window: Line(WINDOW_MAX) = ""
    item_code: Line(ITEM_CODE_MAX) | None = None
    updated_at: SaneDatetime


class RatingRecord(_Wire):
    kind: Literal["rating"] = "rating"
    uuid: UUID
    village_code: VillageCode
    application_uuid: UUID | None = None  # None = the room's service in general
    stage: Literal["completion", "general"] = "general"
    level: int = Field(ge=1, le=5)  # 5 非常满意 … 1 非常不满意
    reasons: list[Line(REASON_MAX, 1)] = Field(default_factory=list, max_length=10)
    text: Paragraph(NOTE_MAX) = ""
    created_at: SaneDatetime
    updated_at: SaneDatetime


class ComplaintRecord(_Wire):
    kind: Literal["complaint"] = "complaint"
    uuid: UUID
    village_code: VillageCode
    category: Line(CATEGORY_MAX, 1)
    text: Paragraph(COMPLAINT_TEXT_MAX, 1)
    about_staff: Line(ABOUT_STAFF_MAX) = ""
    contact: Line(CONTACT_MAX) = ""
    created_at: SaneDatetime
    updated_at: SaneDatetime


Record = Annotated[
    ApplicationRecord | QueueTicketRecord | RatingRecord | ComplaintRecord,
    Field(discriminator="kind"),
]


class PushBatch(_Wire):
    records: list[Record] = Field(min_length=1, max_length=MAX_BATCH)


class RecordResult(_Wire):
    uuid: UUID
    kind: str
    # change_requested: the server holds the record and the agents own the fields the
    # kiosk changed; the correction is waiting for an agent (docs/sync.md, field ownership).
    result: Literal["created", "updated", "unchanged", "rejected", "change_requested"]
    error: str = ""


class PushResponse(_Wire):
    results: list[RecordResult]


class StatusChange(_Wire):
    application_uuid: UUID
    status: str
    changed_at: datetime
    note: str = ""  # villager-facing note (e.g. where to apply instead)
    missing_materials: list[str] = Field(default_factory=list)
    due_date: date | None = None


class StatusPage(_Wire):
    changes: list[StatusChange]
    cursor: str  # opaque; pass back as ?since=
    more: bool = False


class QuarantinedRecord(_Wire):
    kind: Line(20, 1)
    uuid: UUID
    reason: Paragraph(ERROR_MAX) = ""
    since: SaneDatetime | None = None


class HealthReport(_Wire):
    """What a kiosk tells the server about itself each round (the console's kiosk health page)."""

    software_version: Line(40) = ""
    catalogue_version: Line(40) = ""
    pending: int = Field(0, ge=0, le=10_000_000)
    quarantined: list[QuarantinedRecord] = Field(default_factory=list, max_length=200)
    quarantined_total: int = Field(0, ge=0, le=10_000_000)
