"""Public routes: the tracking page, the short-code form, the rating form (the kiosk's JSON
API for the same is ``server.api.routes.track``).

Mounted by ``server.main.create_app`` (EXTRA_ROUTERS); the request's session is ``SessionDep``. No
login, no JavaScript, no cookies; every response says ``noindex``. Anything a
stranger can send — malformed tokens, unknown codes, junk form fields — ends in
a friendly page (404 未找到 or the form again), never a stack trace.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from bianmin import i18n
from bianmin.domain.fields import clean_line
from bianmin.domain.tracking import format_short_code
from server.api.deps import LimiterDep, SessionDep, SettingsDep, request_session
from server.api.schemas import UNAVAILABLE, ErrorBody
from server.db import begin_write
from server.public import service

log = logging.getLogger(__name__)

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
NOINDEX = {
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", i18n.DEFAULT_LANGUAGE)
    return lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def _page(request: Request, template: str, status_code: int = 200, **ctx: object) -> HTMLResponse:
    lang = _lang(request)

    def t(key: str, **fmt: object) -> str:
        return i18n.translate(key, lang, **fmt)

    ctx.setdefault("chosen_level", None)
    ctx.setdefault("chosen_reasons", [])
    # Villagers read local time (Settings.timezone); the database holds UTC.
    ctx.update(request=request, t=t, lang=lang, format_short_code=format_short_code,
               tz=request.app.state.settings.tz)
    return TEMPLATES.TemplateResponse(
        request, template, ctx, status_code=status_code, headers=NOINDEX
    )


def _not_found(request: Request) -> HTMLResponse:
    return _page(request, "not_found.html", status_code=404)


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


router = APIRouter(tags=["public"], responses=UNAVAILABLE)

# Every answer these pages can give, documented (all HTML except a tool's malformed form post).
_HTML = {"text/html": {"schema": {"type": "string"}}}
NOT_FOUND_PAGE = {404: {"description": "未找到 page", "content": _HTML}}
TRACKING_ANSWERS = {**NOT_FOUND_PAGE, 422: {"model": ErrorBody, "description": "a request no browser sends"}}
BAD_FORM = {422: {"model": ErrorBody, "description": "a request no browser sends (e.g. a file for a text field)"}}
LOOKUP_ANSWERS = {303: {"description": "found: to the tracking page"}, **NOT_FOUND_PAGE,
                  429: {"description": "too many failed lookups: the form with a message; see Retry-After",
                        "content": _HTML,
                        "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds"}}},
                  **BAD_FORM}
RATE_ANSWERS = {303: {"description": "rated: back to the tracking page"},
                400: {"description": "the page again with what to correct", "content": _HTML}, **TRACKING_ANSWERS}


# ----- web ---------------------------------------------------------------------------
@router.get("/t", response_class=HTMLResponse)
@router.get("/t/", response_class=HTMLResponse)
def lookup_form(request: Request) -> HTMLResponse:
    return _page(request, "lookup.html")


@router.post("/t/lookup", response_class=HTMLResponse, responses=LOOKUP_ANSWERS)
def lookup_post(
    request: Request,
    session: SessionDep,
    limiter: LimiterDep,
    settings: SettingsDep,
    short_code: str = Form(""),
    last4: str = Form(""),
) -> Response:
    # Bounded here, not by the form schema: a villager's odd input gets the page again, never JSON.
    short_code, last4 = clean_line(short_code, 40) or "", clean_line(last4, 10) or ""
    try:
        application = service.lookup_short_code(
            session, limiter, short_code, last4, f"ip:{_client_ip(request)}", "web",
            service.LookupLimits.of(settings),
        )
    except service.RateLimited as exc:
        session.commit()
        response = _page(request, "lookup.html", status_code=429, error="track.rate_limited")
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    session.commit()
    if application is None:
        return _page(request, "lookup.html", status_code=404, error="public.lookup_failed")
    return RedirectResponse(f"/t/{application.token}", status_code=303, headers=NOINDEX)


@router.get("/t/{token}", response_class=HTMLResponse, responses=TRACKING_ANSWERS)
def tracking_page(request: Request, token: str, session: SessionDep) -> HTMLResponse:
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


@router.post("/t/{token}/rate", response_class=HTMLResponse, responses=RATE_ANSWERS)
async def rate_post(request: Request, token: str) -> Response:
    try:
        form = await request.form()
    except Exception:  # noqa: BLE001 - a malformed body is the villager's page again, not a 500
        form = None
    try:
        level = int(str(form.get("level", "0"))) if form is not None else 0
    except ValueError:
        level = 0
    reasons = [str(r)[:40] for r in form.getlist("reasons")][:10] if form is not None else []
    text = str(form.get("text", ""))[:2000] if form is not None else ""
    return await run_in_threadpool(_rate, request, token, level, reasons, text)


def _rate(request: Request, token: str, level: int, reasons: list[str], text: str) -> Response:
    session = request_session(request)
    application = service.find_by_token(session, token)
    if application is None:
        return _not_found(request)
    begin_write(session)
    try:
        service.rate_application(session, application, level, reasons, text,
                                 request.app.state.settings.followup_days)
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


@router.get("/t/{anything:path}", response_class=HTMLResponse, include_in_schema=False)
def tracking_catch_all(request: Request, anything: str) -> HTMLResponse:
    """Anything else under /t/ (slashes, dots, junk a phone or a scanner mangled): 未找到."""
    return _not_found(request)
