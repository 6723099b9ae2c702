"""Sign-in, sign-out and change of password."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import delete, func, select, text

from bianmin.domain.fields import clean_line
from bianmin.i18n import translate
from server.console import security
from server.console.audit import record
from server.console.web import (
    PREFIX,
    PasswordCtxDep,
    aware,
    db_of,
    field,
    form_of,
    now,
    page,
    redirect,
    render,
    request_lang,
)
from server.db import begin_write
from server.models.console import ConsoleSession, ConsoleUser, LoginAttempt
from server.services.ratelimit import Decision

router = APIRouter()


def _policy(request: Request) -> security.BackoffPolicy:
    return getattr(request.app.state, "console_backoff", security.DEFAULT_POLICY)


def _safe_next(value: str) -> str:
    if value.startswith(PREFIX + "/") and not value.startswith("//") and "\\" not in value and len(value) < 500:
        return value
    return PREFIX + "/"


def _login_page(request: Request, status: int = 200, error: str = "", username: str = "", next_url: str = "") -> Response:
    token = request.cookies.get(security.LOGIN_CSRF_COOKIE)
    fresh = not token or len(token) > 100
    if fresh:
        token = security.new_secret()
    lang = request_lang(request)
    response = render(request, "login.html", lang, status=status, csrf=security.csrf_token_for(token, "login"),
                      error=error, username=username, next_url=next_url or request.query_params.get("next", ""))
    if fresh:
        response.set_cookie(security.LOGIN_CSRF_COOKIE, token, httponly=True, samesite="lax",
                            secure=request.url.scheme == "https", path=PREFIX)
    return response


@router.get("/login")
def login_form(request: Request) -> Response:
    return _login_page(request)


def _failures(db, username: str, client: str, policy: security.BackoffPolicy):  # noqa: ANN001, ANN202
    """Failed attempts for this name from this address since the name's last success
    (from anywhere, or an admin's unlock) within the window, and the latest of them."""
    since = now() - policy.window
    last_ok = db.scalar(select(func.max(LoginAttempt.at)).where(LoginAttempt.username == username, LoginAttempt.success.is_(True)))
    if last_ok is not None and aware(last_ok) > since:
        since = aware(last_ok)
    count, last = db.execute(
        select(func.count(), func.max(LoginAttempt.at)).where(
            LoginAttempt.username == username, LoginAttempt.client == client,
            LoginAttempt.outcome == "bad_password", LoginAttempt.at > since,
        )
    ).one()
    return count, aware(last)


def _take_turns(db, client: str) -> None:  # noqa: ANN001
    """Attempts from one address take turns, so the failure count each one reads is exact
    under concurrency: a PostgreSQL transaction-level advisory lock keyed by the address;
    on SQLite, BEGIN IMMEDIATE (begin_write) already serialises writers."""
    begin_write(db)
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"console-login:{client}"})


def _address_budget(request: Request, client: str, policy: security.BackoffPolicy) -> Decision:
    """Count this attempt against the address's budget (any user names), shared by every
    worker and host through the app's limiter (server/services/ratelimit.py). A successful
    sign-in is refunded, so an office behind one address spends it only on wrong guesses.
    Called before ``_take_turns``: on SQLite the limiter writes on its own connection."""
    return request.app.state.limiter.hit(f"console-login:{client}", policy.address_limit, policy.address_window)


@router.post("/login")
async def login(request: Request) -> Response:
    db = db_of(request)
    lang = request_lang(request)
    try:
        form = await request.form()
    except Exception:
        return _login_page(request, 400, translate("console.error.bad_form", lang))
    username = (form.get("username") or "") if isinstance(form.get("username"), str) else ""
    username = username.strip()[:64]
    if clean_line(username, 64) is None:  # a NUL byte would reach PostgreSQL as a 500
        return _login_page(request, 400, translate("console.login.bad_name", lang))
    password = form.get("password") if isinstance(form.get("password"), str) else ""
    next_url = _safe_next(form.get("next") if isinstance(form.get("next"), str) else "")
    secret = request.cookies.get(security.LOGIN_CSRF_COOKIE)
    submitted = form.get("csrf") if isinstance(form.get("csrf"), str) else None
    if not security.csrf_ok(secret, submitted, "login"):
        return _login_page(request, 403, translate("console.error.csrf", lang), username, next_url)
    if not username or not password:
        return _login_page(request, 400, translate("console.login.missing", lang), username, next_url)

    policy = _policy(request)
    moment = now()
    client = (request.client.host if request.client else "")[:64]

    def attempt(outcome: str, success: bool = False) -> None:
        db.add(LoginAttempt(username=username, client=client, at=moment, success=success, outcome=outcome))
        db.commit()

    def wait_page(seconds: int) -> Response:
        # The same words whether or not the name exists, and never "locked".
        return _login_page(request, 429, translate("console.login.wait", lang, seconds=seconds), username, next_url)

    budget = _address_budget(request, client, policy)
    if not budget.allowed:
        _take_turns(db, client)
        attempt("waiting")
        return wait_page(int(policy.address_window.total_seconds()))
    _take_turns(db, client)
    failures, last_failure = _failures(db, username, client, policy)
    wait = policy.wait_seconds(failures, last_failure, moment)
    if wait > 0:
        attempt("waiting")
        return wait_page(wait)
    user = db.scalar(select(ConsoleUser).where(ConsoleUser.username == username))
    ok = security.verify_password(user.password_hash if user else None, password)
    if not ok or user is None:
        attempt("bad_password")
        return _login_page(request, 401, translate("console.login.bad", lang), username, next_url)
    if not user.active:
        attempt("disabled")
        return _login_page(request, 403, translate("console.login.disabled", lang), username, next_url)

    attempt("ok", success=True)
    user.locked_until = None
    # Forget this user's sessions that idled out (rows would otherwise pile up).
    idle_since = moment - security.SESSION_IDLE
    db.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id, ConsoleSession.last_seen_at < idle_since))
    token = security.new_secret()
    db.add(ConsoleSession(token_hash=security.digest(token), user_id=user.id, csrf_secret=security.new_secret(),
                          created_at=moment, last_seen_at=moment))
    record(db, user, "sign_in", "user", str(user.id))
    db.commit()
    request.app.state.limiter.refund(budget)  # after the commit: SQLite's write lock is free again
    response = RedirectResponse(PREFIX + "/password" if user.must_change_password else next_url, status_code=303)
    response.set_cookie(security.SESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path="/")
    response.delete_cookie(security.LOGIN_CSRF_COOKIE, path=PREFIX)
    return response


@router.post("/logout")
async def logout(ctx: PasswordCtxDep) -> Response:
    await form_of(ctx)
    ctx.db.delete(ctx.session)
    record(ctx.db, ctx.user, "sign_out", "user", str(ctx.user.id))
    ctx.db.commit()
    response = RedirectResponse(PREFIX + "/login", status_code=303)
    response.delete_cookie(security.SESSION_COOKIE, path="/")
    return response


@router.get("/password")
def password_form(ctx: PasswordCtxDep) -> Response:
    return page(ctx, "password.html", nav="password")


@router.post("/password")
async def change_password(ctx: PasswordCtxDep) -> Response:
    form = await form_of(ctx)
    current_pw, new, repeat = (field(form, k, 200) for k in ("current", "new", "repeat"))
    problem = None
    if not security.verify_password(ctx.user.password_hash, current_pw):
        problem = "console.password.wrong_current"
    elif new != repeat:
        problem = "console.password.mismatch"
    elif new == current_pw:
        problem = "console.password.unchanged"
    else:
        problem = security.password_problem(new, ctx.user.username, ctx.user.display_name)
    if problem:
        return page(ctx, "password.html", status=400, nav="password", error=ctx.t(problem))
    ctx.user.password_hash = security.hash_password(new)
    ctx.user.must_change_password = False
    # Other browsers signed in as this user are signed out.
    ctx.db.execute(delete(ConsoleSession).where(ConsoleSession.user_id == ctx.user.id, ConsoleSession.id != ctx.session.id))
    record(ctx.db, ctx.user, "password_changed", "user", str(ctx.user.id))
    ctx.db.commit()
    return redirect("/", "password_changed")
