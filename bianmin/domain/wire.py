"""The sync wire schema between a kiosk and the central server (design.md §6).

Every record carries the UUID it got on the kiosk; the server upserts by it, so
a retried or duplicated batch is harmless. ``updated_at`` lets the server ignore
an older copy that arrives after a newer one (reordered requests).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

MAX_BATCH = 200


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ApplicationRecord(_Wire):
    kind: Literal["application"] = "application"
    uuid: UUID
    village_code: str = Field(pattern=r"^\d{6,15}$")
    item_code: str = Field(min_length=1, max_length=40)
    item_name: str = Field(min_length=1, max_length=200)
    item_version: int = 1
    applicant_name: str = Field(min_length=1, max_length=40)
    phone: str = Field(pattern=r"^\d{7,12}$")
    id_number: str | None = Field(None, pattern=r"^\d{17}[\dX]$")
    note: str = Field("", max_length=500)
    materials_brought: list[str] = Field(default_factory=list, max_length=60)
    materials_missing: list[str] = Field(default_factory=list, max_length=60)
    status: Literal["submitted", "awaiting_materials"] = "submitted"
    token: str = Field(min_length=22, max_length=64)
    short_code: str = Field(pattern=r"^[0-9A-Z*~$=]{9}$")
    promised_days: int = Field(ge=0, le=365)
    consent_at: datetime
    created_at: datetime
    updated_at: datetime


class QueueTicketRecord(_Wire):
    kind: Literal["queue_ticket"] = "queue_ticket"
    uuid: UUID
    village_code: str = Field(pattern=r"^\d{6,15}$")
    line: str = Field(pattern=r"^[A-Z]$")
    number: int = Field(ge=1, le=999)
    service_day: date
    issued_at: datetime
    called_at: datetime | None = None
    served_at: datetime | None = None
    no_show_at: datetime | None = None
    window: str = ""
    item_code: str | None = None
    updated_at: datetime


class RatingRecord(_Wire):
    kind: Literal["rating"] = "rating"
    uuid: UUID
    village_code: str = Field(pattern=r"^\d{6,15}$")
    application_uuid: UUID | None = None  # None = the room's service in general
    stage: Literal["completion", "general"] = "general"
    level: int = Field(ge=1, le=5)  # 5 非常满意 … 1 非常不满意
    reasons: list[str] = Field(default_factory=list, max_length=10)
    text: str = Field("", max_length=500)
    created_at: datetime
    updated_at: datetime


class ComplaintRecord(_Wire):
    kind: Literal["complaint"] = "complaint"
    uuid: UUID
    village_code: str = Field(pattern=r"^\d{6,15}$")
    category: str = Field(min_length=1, max_length=40)
    text: str = Field(min_length=1, max_length=1000)
    about_staff: str = Field("", max_length=40)
    contact: str = Field("", max_length=40)
    created_at: datetime
    updated_at: datetime


Record = Annotated[
    ApplicationRecord | QueueTicketRecord | RatingRecord | ComplaintRecord,
    Field(discriminator="kind"),
]


class PushBatch(_Wire):
    records: list[Record] = Field(min_length=1, max_length=MAX_BATCH)


class RecordResult(_Wire):
    uuid: UUID
    kind: str
    result: Literal["created", "updated", "unchanged", "rejected"]
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
