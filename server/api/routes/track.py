"""查询进度 for kiosks: an application by its tracking token, or by short code + last four phone digits.

No device token is needed for a token lookup (the 128-bit token is the secret, as on
the public /t/<token> page). Short-code lookups are limited per kiosk (or address),
per code and overall by the shared limiter (see ``server.public.service``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from server.api.deps import LimiterDep, SessionDep, SettingsDep
from server.api.errors import ApiError
from server.api.schemas import (
    ERROR_RESPONSES,
    NOT_FOUND,
    TOO_LARGE,
    TOO_MANY,
    LookupRequest,
    TrackingOut,
)
from server.public import service
from server.services.devices import device_for_token

router = APIRouter(prefix="/track", tags=["tracking"])

NO_STORE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}
NOT_FOUND_TEXT = "未找到 / not found"


def _client(session, request: Request) -> str:  # noqa: ANN001
    """``device:<id>`` for a kiosk with a valid device token (its own budget), else ``ip:<address>``."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer ") and len(auth) <= 300:
        device = device_for_token(session, auth[7:].strip())
        if device is not None and not device.revoked:
            return f"device:{device.id}"
    return f"ip:{request.client.host if request.client else 'unknown'}"


def _view(session, application) -> JSONResponse:  # noqa: ANN001
    body = TrackingOut.model_validate(service.tracking_view(session, application).to_api())
    return JSONResponse(body.model_dump(mode="json"), headers=NO_STORE)


@router.get("/{token}", response_model=TrackingOut, responses={**NOT_FOUND, 422: ERROR_RESPONSES[422]})
def track(token: Annotated[str, Path(max_length=64, description="tracking token from the slip's QR code")],
          session: SessionDep) -> JSONResponse:
    application = service.find_by_token(session, token)
    if application is None:
        raise ApiError(404, NOT_FOUND_TEXT)
    return _view(session, application)


@router.post("/lookup", response_model=TrackingOut,
             responses={**NOT_FOUND, **TOO_MANY, **TOO_LARGE, 422: ERROR_RESPONSES[422]})
def lookup(body: LookupRequest, request: Request, session: SessionDep, limiter: LimiterDep,
           settings: SettingsDep) -> JSONResponse:
    client = _client(session, request)
    try:
        application = service.lookup_short_code(session, limiter, body.short_code, body.last4, client, "kiosk",
                                                 service.LookupLimits.of(settings))
    except service.RateLimited as exc:
        session.commit()
        raise ApiError(429, "尝试次数过多，请稍后再试 / too many attempts, try again later",
                       headers={"Retry-After": str(exc.retry_after)}) from exc
    session.commit()
    if application is None:
        raise ApiError(404, NOT_FOUND_TEXT)
    return _view(session, application)
