"""Enrolment: a one-time code becomes a device token (the token is shown only here, once)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request

from server.api.deps import DeviceDep, LimiterDep, SessionDep, SettingsDep
from server.api.errors import ApiError
from server.api.schemas import (
    ERROR_RESPONSES,
    TOO_LARGE,
    TOO_MANY,
    DeviceInfo,
    EnrolRequest,
    EnrolResponse,
    ErrorBody,
)
from server.db import begin_write
from server.models import ServiceRoom, Village, utcnow
from server.services.devices import EnrolmentError, enrol

router = APIRouter(tags=["devices"])


@router.post("/enrol", response_model=EnrolResponse,
             responses={403: {"model": ErrorBody, "description": "the code is unknown, expired or already used"},
                        422: ERROR_RESPONSES[422], **TOO_MANY, **TOO_LARGE})
def enrol_device(body: EnrolRequest, request: Request, session: SessionDep, settings: SettingsDep,
                 limiter: LimiterDep) -> EnrolResponse:
    ip = request.client.host if request.client else ""
    attempt = limiter.hit(f"enrol:{ip}", settings.enrol_attempts_per_10min, timedelta(minutes=10))
    if not attempt.allowed:
        raise ApiError(429, "尝试次数过多，请十分钟后再试 / too many attempts, try again in 10 minutes",
                       headers={"Retry-After": str(attempt.retry_after)})
    begin_write(session)
    try:
        enrolled = enrol(session, body.code, name=body.name, ip=ip, key=body.enrolment_key)
    except EnrolmentError as exc:
        session.rollback()
        raise ApiError(403, str(exc), [{"field": "code", "message": str(exc), "type": "invalid"}]) from exc
    village = session.get(Village, enrolled.device.village_id)
    room = session.query(ServiceRoom).filter(ServiceRoom.village_id == village.id).first()
    response = EnrolResponse(
        device_id=enrolled.device.id, token=enrolled.token, village_code=village.code, village_name=village.name,
        township_name=village.township.name, county_name=village.township.county.name,
        room_name=room.name if room else "",
    )
    session.commit()
    return response


@router.get("/device", response_model=DeviceInfo, responses={401: ERROR_RESPONSES[401]})
def whoami(device: DeviceDep, session: SessionDep) -> DeviceInfo:
    """Lets a kiosk (or an installer) check that its token is valid."""
    village = session.get(Village, device.village_id)
    return DeviceInfo(device_id=device.id, name=device.name, village_code=village.code, village_name=village.name,
                      server_time=utcnow())
