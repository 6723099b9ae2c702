"""Request and response bodies of the API that are not sync records (see bianmin.domain.wire)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from bianmin.domain.fields import Line


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorItem(BaseModel):
    field: str
    message: str
    type: str = ""


class ErrorBody(BaseModel):
    detail: str
    errors: list[ErrorItem] = []


class EnrolRequest(_Body):
    code: Line(40, min_length=4) = Field(description="one-time enrolment code, e.g. 7K3M-Q9XA-2B4C")
    name: Line(80) = Field("", description="a label for this kiosk, e.g. its hostname")
    enrolment_key: str | None = Field(
        None, pattern=r"^[A-Za-z0-9_-]{32,64}$",
        description="a random key the kiosk keeps; retrying with the same code and key returns the same device")


class EnrolResponse(BaseModel):
    device_id: int
    token: str = Field(description="device token; shown once, send as `Authorization: Bearer …`")
    village_code: str
    village_name: str
    township_name: str
    county_name: str
    room_name: str = ""


class DeviceInfo(BaseModel):
    device_id: int
    name: str
    village_code: str
    village_name: str
    server_time: datetime


class CatalogueDocument(BaseModel):
    version: int
    published_at: datetime
    catalogue: dict


class NoticeOut(BaseModel):
    id: int
    title: str
    body: str
    county_wide: bool
    published_at: str
    expires_at: str | None = None


class NoticesDocument(BaseModel):
    notices: list[NoticeOut]


class RosterAgent(BaseModel):
    id: int
    name: str
    position: str
    phone: str
    photo: str


class RosterDuty(BaseModel):
    agent_id: int
    weekday: int
    hours: str
    note: str


class RoomOut(BaseModel):
    name: str
    address: str
    hours: str
    phone: str


class VillageOut(BaseModel):
    code: str
    name: str


class RosterDocument(BaseModel):
    village: VillageOut
    room: RoomOut | None = None
    agents: list[RosterAgent]
    duty: list[RosterDuty]


ERROR_RESPONSES: dict[int | str, dict] = {
    401: {"model": ErrorBody, "description": "unknown or revoked device"},
    422: {"model": ErrorBody, "description": "invalid request; `errors` names each field"},
}


class TrackingStep(BaseModel):
    status: str
    at: datetime
    note: str = ""


class TrackingOut(BaseModel):
    """What a villager may see about an application (never the ID number or the phone)."""

    token: str
    application_uuid: str
    item_name: str
    masked_name: str
    status: str
    timeline: list[TrackingStep]
    due_date: date | None = None
    overdue: bool
    missing_materials: list[str]
    pickup: str
    answer: str
    rated: bool


class LookupRequest(_Body):
    short_code: Line(40) = Field("", description="the 9-symbol short code on the slip, e.g. 7K3M-Q9XA-2")
    last4: Line(10) = Field("", description="last four digits of the applicant's phone")


NOT_FOUND = {404: {"model": ErrorBody, "description": "no such application (or the code and digits do not match)"}}
TOO_MANY = {429: {"model": ErrorBody, "description": "too many failed lookups; see Retry-After",
                  "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds"}}}}
UNAVAILABLE = {503: {"model": ErrorBody, "description": "database or limiter unavailable; retry after Retry-After",
                     "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds"}}}}
TOO_LARGE = {413: {"model": ErrorBody, "description": "request body larger than BIANMIN_MAX_BODY_BYTES"}}
