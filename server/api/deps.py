"""Request dependencies: settings, a database session per request, the calling kiosk."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import update
from sqlalchemy.orm import Session

from server.api.errors import ApiError
from server.core.config import Settings
from server.db import begin_write
from server.models import Device, Village, utcnow
from server.services.devices import device_for_token

bearer = HTTPBearer(auto_error=False, description="device token from /api/v1/enrol")

UNKNOWN_DEVICE = "终端未登记/已停用 / unknown or revoked device"


async def get_settings(request: Request) -> Settings:  # async: no thread-pool hop
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]


BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def current_device(request: Request, session: SessionDep, settings: SettingsDep, creds: BearerDep) -> Device:
    """The enrolled, unrevoked kiosk making the call, else 401."""
    return authenticate(request, session, settings, creds)


def authenticate(request: Request, session: Session, settings: Settings,
                 creds: HTTPAuthorizationCredentials | None) -> Device:
    """current_device as a plain function, for hot endpoints that do all their work in one thread hop."""
    if creds is None or not creds.credentials:
        raise ApiError(401, UNKNOWN_DEVICE, [{"field": "Authorization", "message": "Bearer device token required",
                                               "type": "missing"}], headers={"WWW-Authenticate": "Bearer"})
    device = device_for_token(session, creds.credentials)
    if device is None or device.revoked:
        raise ApiError(401, UNKNOWN_DEVICE, [{"field": "Authorization", "message": "unknown or revoked token",
                                               "type": "invalid"}], headers={"WWW-Authenticate": "Bearer"})
    now = utcnow()
    stale = device.last_seen_at is None or now - device.last_seen_at > timedelta(
        seconds=settings.last_seen_resolution_seconds)
    if stale:
        # Its own short write transaction, so read-only requests never hold a write lock.
        with request.app.state.sessions() as writer:
            begin_write(writer)
            writer.execute(update(Device).where(Device.id == device.id).values(
                last_seen_at=now, last_ip=(request.client.host if request.client else "")[:64]))
            writer.commit()
    return device


DeviceDep = Annotated[Device, Depends(current_device)]


def device_village(session: Session, device: Device) -> Village:
    return session.get(Village, device.village_id)
