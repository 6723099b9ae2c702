"""Public routes: the tracking page, the short-code form, the rating form, the kiosk's API.

Mounted by ``server.main.create_app`` (EXTRA_ROUTERS); sessions from ``app.state.sessions``. No
login, no JavaScript, no cookies; every response says ``noindex``. Anything a
stranger can send — malformed tokens, unknown codes, junk form fields — ends in
a friendly page (404 未找到 or the form again), never a stack trace.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker

from bianmin import i18n
from bianmin.domain.tracking import format_short_code
from server.db import begin_write
from server.public import service
from server.services.devices import device_for_token

log = logging.getLogger(__name__)

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
NOINDEX = {
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}


class LookupRequest(BaseModel):
    short_code: str = Field("", max_length=40)
    last4: str = Field("", max_length=10)


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", i18n.DEFAULT_LANGUAGE)
    return lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def _timezone() -> tzinfo:
    """Villagers read Beijing time; the database holds UTC."""
    try:
        return ZoneInfo(os.environ.get("BIANMIN_TIMEZONE", "Asia/Shanghai"))
    except (ZoneInfoNotFoundError, ValueError):
        return timezone(timedelta(hours=8))


def _page(request: Request, template: str, status_code: int = 200, **ctx: object) -> HTMLResponse:
    lang = _lang(request)

    def t(key: str, **fmt: object) -> str:
        return i18n.translate(key, lang, **fmt)

    ctx.setdefault("chosen_level", None)
    ctx.setdefault("chosen_reasons", [])
    ctx.update(request=request, t=t, lang=lang, format_short_code=format_short_code, tz=_timezone())
    return TEMPLATES.TemplateResponse(
        request, template, ctx, status_code=status_code, headers=NOINDEX
    )


def _not_found(request: Request) -> HTMLResponse:
    return _page(request, "not_found.html", status_code=404)


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _device_client(session: Session, request: Request) -> str | None:
    """``device:<id>`` for a kiosk with a valid device token (limits apply per terminal)."""
    auth = request.headers.get("authorization", "")
    if not auth.lower().startswith("bearer ") or len(auth) > 300:
        return None
    device = device_for_token(session, auth[7:].strip())
    if device is None or device.revoked:
        return None
    return f"device:{device.id}"


router = APIRouter(tags=["public"])


def _sessions(request: Request) -> sessionmaker[Session]:
    return request.app.state.sessions


# ----- web ---------------------------------------------------------------------------
@router.get("/t", response_class=HTMLResponse)
@router.get("/t/", response_class=HTMLResponse)
def lookup_form(request: Request) -> HTMLResponse:
    return _page(request, "lookup.html")


@router.post("/t/lookup", response_class=HTMLResponse)
def lookup_post(
    request: Request,
    short_code: str = Form("", max_length=40),
    last4: str = Form("", max_length=10),
) -> Response:
    with _sessions(request)() as session:
        begin_write(session)
        try:
            application = service.lookup_short_code(
                session, short_code, last4, f"ip:{_client_ip(request)}", "web"
            )
        except service.RateLimited:
            session.commit()
            return _page(request, "lookup.html", status_code=429, error="track.rate_limited")
        session.commit()
        if application is None:
            return _page(request, "lookup.html", status_code=404, error="public.lookup_failed")
        return RedirectResponse(f"/t/{application.token}", status_code=303, headers=NOINDEX)


@router.get("/t/{token}", response_class=HTMLResponse)
def tracking_page(request: Request, token: str) -> HTMLResponse:
    with _sessions(request)() as session:
        application = service.find_by_token(session, token)
        if application is None:
            return _not_found(request)
        view = service.tracking_view(session, application)
    return _page(
        request,
        "track.html",
        view=view,
        rated=request.query_params.get("rated") == "1",
        levels=service.LEVELS,
        reasons=service.REASONS,
        bad_levels=service.BAD_LEVELS,
    )


@router.post("/t/{token}/rate", response_class=HTMLResponse)
async def rate_post(request: Request, token: str) -> Response:
    form = await request.form()
    try:
        level = int(str(form.get("level", "0")))
    except ValueError:
        level = 0
    reasons = [str(r) for r in form.getlist("reasons")][:10]
    text = str(form.get("text", ""))[:2000]
    with _sessions(request)() as session:
        application = service.find_by_token(session, token)
        if application is None:
            return _not_found(request)
        begin_write(session)
        try:
            service.rate_application(session, application, level, reasons, text)
        except service.RatingError as exc:
            session.rollback()
            view = service.tracking_view(session, application)
            return _page(
                request,
                "track.html",
                status_code=400,
                view=view,
                error=exc.key,
                levels=service.LEVELS,
                reasons=service.REASONS,
                bad_levels=service.BAD_LEVELS,
                chosen_level=level,
                chosen_reasons=reasons,
                text=text,
            )
        session.commit()
    return RedirectResponse(f"/t/{token}?rated=1", status_code=303, headers=NOINDEX)


# ----- kiosk API -----------------------------------------------------------------------
@router.get("/api/v1/track/{token}")
def api_track(request: Request, token: str) -> JSONResponse:
    with _sessions(request)() as session:
        application = service.find_by_token(session, token)
        if application is None:
            return JSONResponse({"detail": "not found"}, status_code=404, headers=NOINDEX)
        return JSONResponse(service.tracking_view(session, application).to_api(), headers=NOINDEX)


@router.post("/api/v1/track/lookup")
def api_lookup(request: Request, body: LookupRequest) -> JSONResponse:
    with _sessions(request)() as session:
        client = _device_client(session, request) or f"ip:{_client_ip(request)}"
        begin_write(session)
        try:
            application = service.lookup_short_code(
                session, body.short_code, body.last4, client, "kiosk"
            )
        except service.RateLimited:
            session.commit()
            return JSONResponse({"detail": "too many attempts"}, status_code=429, headers=NOINDEX)
        session.commit()
        if application is None:
            return JSONResponse({"detail": "not found"}, status_code=404, headers=NOINDEX)
        return JSONResponse(service.tracking_view(session, application).to_api(), headers=NOINDEX)


@router.get("/t/{anything:path}", response_class=HTMLResponse, include_in_schema=False)
def tracking_catch_all(request: Request, anything: str) -> HTMLResponse:
    """Anything else under /t/ (slashes, dots, junk a phone or a scanner mangled): 未找到."""
    return _not_found(request)
