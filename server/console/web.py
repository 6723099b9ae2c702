"""Request plumbing shared by the console pages: templates, the signed-in context,
CSRF checks, redirects and friendly error pages.

Every console page depends on `current` (→ `Ctx`); an unauthenticated request raises
`SignInRequired`, which the handler installed by `install()` turns into a redirect
to the sign-in page. Nothing here keeps state in process memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from bianmin.i18n import LANGUAGES, translate
from server.api.deps import STATE_KEY, request_session
from server.console import inputs, security
from server.models.console import ConsoleSession, ConsoleUser

HERE = Path(__file__).resolve().parent
PREFIX = "/console"
STATIC_PREFIX = "/console/static"
LANG_COOKIE = "bm_lang"
TOUCH_EVERY = timedelta(minutes=5)

_env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


class SignInRequired(Exception):
    def __init__(self, next_url: str):
        self.next_url = next_url


class MustChangePassword(Exception):
    """A user with a temporary password sees only the change-password page."""


class Refused(Exception):
    """A request the user may not make, or that makes no sense: shown as a friendly page."""

    def __init__(self, status: int, key: str, **fmt: Any):
        super().__init__(key)
        self.status, self.key, self.fmt = status, key, fmt


def now() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def request_lang(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "zh_CN"
    return lang if lang in LANGUAGES else "zh_CN"


def open_db(request: Request) -> Session | None:
    """The request's session if one was opened (for rolling back or closing it)."""
    return getattr(request.state, STATE_KEY, None)


def db_of(request: Request) -> Session:
    """The request's database session (server.api.deps.request_session: one per request, all areas)."""
    return request_session(request)


@dataclass
class Ctx:
    request: Request
    db: Session
    user: ConsoleUser
    session: ConsoleSession
    lang: str

    @property
    def csrf(self) -> str:
        return security.csrf_token_for(self.session.csrf_secret)

    def t(self, key: str, **fmt: Any) -> str:
        return translate(key, self.lang, **fmt)


def load_session(request: Request, db: Session) -> tuple[ConsoleSession, ConsoleUser] | None:
    token = request.cookies.get(security.SESSION_COOKIE)
    if not token or len(token) > 200:
        return None
    row = db.execute(
        select(ConsoleSession, ConsoleUser)
        .join(ConsoleUser, ConsoleUser.id == ConsoleSession.user_id)
        .where(ConsoleSession.token_hash == security.digest(token))
    ).first()
    if row is None:
        return None
    session, user = row
    moment = now()
    if not user.active or aware(session.last_seen_at) + security.SESSION_IDLE < moment:
        return None
    if aware(session.last_seen_at) + TOUCH_EVERY < moment:
        session.last_seen_at = moment
        db.commit()
    return session, user


def current(request: Request) -> Ctx:
    """FastAPI dependency for every signed-in page."""
    db = db_of(request)
    found = load_session(request, db)
    if found is None:
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        raise SignInRequired(target if request.method == "GET" else PREFIX + "/")
    session, user = found
    ctx = Ctx(request, db, user, session, request_lang(request))
    if user.must_change_password and request.url.path not in (PREFIX + "/password", PREFIX + "/logout"):
        raise MustChangePassword()
    return ctx


def current_allowing_password_change(request: Request) -> Ctx:
    db = db_of(request)
    found = load_session(request, db)
    if found is None:
        raise SignInRequired(request.url.path)
    session, user = found
    return Ctx(request, db, user, session, request_lang(request))


async def form_of(ctx: Ctx) -> FormData:
    """The posted form, after checking its CSRF token (refused with 403 otherwise)."""
    try:
        form = await ctx.request.form()
    except Exception as exc:  # malformed multipart or url-encoded body
        raise Refused(400, "console.error.bad_form") from exc
    token = form.get("csrf")
    if not isinstance(token, str) or not security.csrf_ok(ctx.session.csrf_secret, token):
        raise Refused(403, "console.error.csrf")
    return form


def field(form: FormData, name: str, max_length: int = 500, multiline: bool = False) -> str:
    """A posted text field, stripped and cut to ``max_length``; control characters are
    refused (`inputs.BadInput`, shown as a readable page) before any query sees them."""
    value = form.get(name)
    return inputs.paragraph(value, max_length) if multiline else inputs.line(value, max_length)


def render(request: Request, template: str, lang: str, status: int = 200, ctx: Ctx | None = None, **data: Any) -> HTMLResponse:
    msg_key = request.query_params.get("msg", "")
    data.setdefault("msg", translate("console.msg." + msg_key, lang) if msg_key.isidentifier() and translate("console.msg." + msg_key, lang) != "console.msg." + msg_key else "")
    data.setdefault("error", "")
    body = _env.get_template(template).render(
        t=lambda key, **fmt: translate(key, lang, **fmt),
        lang=lang,
        other_lang_url=other_lang_url(request, lang),
        base=PREFIX,
        static_url=STATIC_PREFIX,
        user=ctx.user if ctx else None,
        csrf=ctx.csrf if ctx else data.pop("csrf", ""),
        **data,
    )
    response = HTMLResponse(body, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def other_lang_url(request: Request, lang: str) -> str:
    """The link to this page in the other language.

    A page that answered a POST (a form shown again with its error) has no GET at its
    own address, so the link goes to the page the form was on (same-origin Referer),
    else to the dashboard — never to a "not found".
    """
    other = "en" if lang == "zh_CN" else "zh_CN"
    if request.method in ("GET", "HEAD"):
        params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("lang", "msg")]
        path = request.url.path
    else:
        referer = urlsplit(request.headers.get("referer", ""))
        same_site = not referer.netloc or referer.netloc == request.url.netloc
        path = referer.path if same_site and referer.path.startswith(PREFIX + "/") else PREFIX + "/"
        params = [(k, v) for k, v in parse_qsl(referer.query) if k not in ("lang", "msg")] if path == referer.path else []
    return path + "?" + urlencode([*params, ("lang", other)])


def page(ctx: Ctx, template: str, status: int = 200, **data: Any) -> HTMLResponse:
    return render(ctx.request, template, ctx.lang, status=status, ctx=ctx, **data)


def redirect(path: str, msg: str = "") -> RedirectResponse:
    url = PREFIX + path
    if msg:
        url += ("&" if "?" in url else "?") + "msg=" + quote(msg)
    return RedirectResponse(url, status_code=303)


def error_page(request: Request, status: int, key: str, **fmt: Any) -> Response:
    db = db_of(request)
    found = None
    try:
        found = load_session(request, db)
    except Exception:  # the error page must render even when the database is unhappy
        db.rollback()
    lang = request_lang(request)
    ctx = Ctx(request, db, found[1], found[0], lang) if found else None
    heading_key = {403: "console.error.forbidden", 404: "console.error.not_found",
                   413: "console.error.too_large_heading", 409: "console.error.conflict_heading",
                   503: "console.error.busy_heading"}.get(status, "console.error.bad_request")
    return render(request, "error.html", lang, status=status, ctx=ctx,
                  heading=translate(heading_key, lang), detail=translate(key, lang, **fmt))


CtxDep = Annotated[Ctx, Depends(current)]
PasswordCtxDep = Annotated[Ctx, Depends(current_allowing_password_change)]


def small_int(text: str) -> int | None:
    """A positive database id from a URL or form, or None (fits PostgreSQL's integer)."""
    return inputs.record_id(text)
