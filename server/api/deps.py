"""Request dependencies: settings, THE database session of a request, the limiter, the calling kiosk.

One session pattern for the API, the console and the public pages: ``request_session``
opens the request's session on first use and keeps it on ``request.state``, so every
dependency, route and error handler of one request shares it; ``SessionCloser`` (installed
by ``create_app``) closes it once the response is sent. Routes take ``SessionDep``; code
that only has the request (console helpers, error pages) calls ``request_session``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import update
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from server.api.errors import ApiError
from server.core.config import Settings
from server.db import begin_write
from server.models import Device, Village, utcnow
from server.services.devices import device_for_token
from server.services.ratelimit import Limiter

STATE_KEY = "db_session"

bearer = HTTPBearer(auto_error=False, description="device token from /api/v1/enrol")

UNKNOWN_DEVICE = "终端未登记/已停用 / unknown or revoked device"


async def get_settings(request: Request) -> Settings:  # async: no thread-pool hop
    return request.app.state.settings


def request_session(request: Request) -> Session:
    """The request's database session, opened on first use, closed by ``SessionCloser``."""
    session = getattr(request.state, STATE_KEY, None)
    if session is None:
        session = request.app.state.sessions()
        setattr(request.state, STATE_KEY, session)
    return session


def get_session(request: Request) -> Iterator[Session]:
    yield request_session(request)


async def get_limiter(request: Request) -> Limiter:
    return request.app.state.limiter


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
LimiterDep = Annotated[Limiter, Depends(get_limiter)]


class SessionCloser:
    """ASGI middleware: closes the session ``request_session`` opened, after the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            session = (scope.get("state") or {}).pop(STATE_KEY, None) if scope["type"] == "http" else None
            if session is not None:
                await run_in_threadpool(session.close)  # a rollback round trip: off the event loop


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
