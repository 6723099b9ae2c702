"""Request and response bodies of the API that are not sync records (see bianmin.domain.wire)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


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
    code: str = Field(min_length=4, max_length=40, description="one-time enrolment code, e.g. 7K3M-Q9XA-2B4C")
    name: str = Field("", max_length=80, description="a label for this kiosk, e.g. its hostname")
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
