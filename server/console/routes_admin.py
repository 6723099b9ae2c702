"""County and township administration: holiday calendar, users, catalogue, people, terminals."""

from __future__ import annotations

import io

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response
from sqlalchemy import delete, select

from bianmin import paths
from server.console import inputs, security, uploads
from server.console.audit import record
from server.console.process import recompute_open_deadlines
from server.console.scope import (
    COUNTY_ADMIN,
    TOWNSHIP_STAFF,
    VILLAGE_AGENT,
    require_role,
    visible_villages,
)
from server.console.web import (
    PREFIX,
    Ctx,
    CtxDep,
    Refused,
    field,
    form_of,
    now,
    page,
    redirect,
    small_int,
)
from server.models import Agent, Device, EnrolmentCode, RosterEntry
from server.models.console import ROLES, ConsoleUser, HolidayEntry

router = APIRouter()
PHOTO_MAX_BYTES = uploads.PHOTO_MAX_BYTES


# ---- holidays --------------------------------------------------------------------------------

def _holidays_page(ctx: Ctx, status: int = 200, error: str = "") -> Response:
    rows = ctx.db.scalars(select(HolidayEntry).order_by(HolidayEntry.day.desc())).all()
    return page(ctx, "holidays.html", status=status, nav="holidays", holidays=rows, error=error)


@router.get("/holidays")
def holidays(ctx: CtxDep) -> Response:
    require_role(ctx, COUNTY_ADMIN)
    return _holidays_page(ctx)


@router.post("/holidays")
async def add_holiday(ctx: CtxDep) -> Response:
    require_role(ctx, COUNTY_ADMIN)
    form = await form_of(ctx)
    kind, name = field(form, "kind", 10), field(form, "name", 40)
    try:
        day = inputs.day(field(form, "day", 10))
    except inputs.BadInput:
        day = None
    if day is None:
        return _holidays_page(ctx, 400, ctx.t("console.holidays.bad_day"))
    if kind not in ("holiday", "workday"):
        return _holidays_page(ctx, 400, ctx.t("console.holidays.bad_kind"))
    if kind == "workday" and day.weekday() < 5:
        return _holidays_page(ctx, 400, ctx.t("console.holidays.workday_weekday"))
    existing = ctx.db.get(HolidayEntry, day)
    if existing is None:
        ctx.db.add(HolidayEntry(day=day, kind=kind, name=name))
    else:
        existing.kind, existing.name = kind, name
    ctx.db.flush()
    moved = recompute_open_deadlines(ctx.db)
    record(ctx.db, ctx.user, "holiday_set", "holiday", day.isoformat(), note=f"{kind} {name}; {moved}")
    ctx.db.commit()
    return redirect("/holidays", "saved")


@router.post("/holidays/delete")
async def delete_holiday(ctx: CtxDep) -> Response:
    require_role(ctx, COUNTY_ADMIN)
    form = await form_of(ctx)
    try:
        day = inputs.day(field(form, "day", 10))
    except inputs.BadInput:
        day = None
    if day is None:
        return _holidays_page(ctx, 400, ctx.t("console.holidays.bad_day"))
    ctx.db.execute(delete(HolidayEntry).where(HolidayEntry.day == day))
    moved = recompute_open_deadlines(ctx.db)
    record(ctx.db, ctx.user, "holiday_removed", "holiday", day.isoformat(), note=str(moved))
    ctx.db.commit()
    return redirect("/holidays", "saved")


# ---- users -----------------------------------------------------------------------------------

def _scope_choices(ctx: Ctx) -> list[tuple[str, str]]:
    from server.console import orgdata

    choices = [(code, f"{name}（{ctx.t('console.scope.township')}）") for code, name in orgdata.townships(ctx.db)]
    choices += [(v.code, f"{v.name}（{ctx.t('console.scope.village')}）") for v in visible_villages(ctx.db, ctx.user)]
    choices += [(code, f"{name}（{ctx.t('console.scope.county')}）") for code, name in orgdata.counties(ctx.db)]
    return choices


def _users_page(ctx: Ctx, status: int = 200, error: str = "", form: dict | None = None) -> Response:
    users = ctx.db.scalars(select(ConsoleUser).order_by(ConsoleUser.role, ConsoleUser.username)).all()
    moment = now()
    shown = [{"id": u.id, "username": u.username, "display_name": u.display_name, "role": u.role, "scope_code": u.scope_code,
              "active": u.active, "locked": bool(u.locked_until and u.locked_until > moment)} for u in users]
    choices = _scope_choices(ctx)
    return page(ctx, "users.html", status=status, nav="users", users=shown, roles=ROLES, scopes=choices,
                scope_names=dict(choices), error=error, form=form or {})


@router.get("/users")
def users(ctx: CtxDep) -> Response:
    require_role(ctx, COUNTY_ADMIN)
    return _users_page(ctx)


def scope_problem(db, role: str, scope: str) -> str | None:  # noqa: ANN001
    """Translation key if `scope` is not a code of the kind the role needs."""
    from server.console import orgdata

    if role not in ROLES:
        return "console.users.bad_role"
    if role == VILLAGE_AGENT and scope not in {v.code for v in orgdata.villages(db)}:
        return "console.users.bad_scope_village"
    if role == TOWNSHIP_STAFF and scope not in {c for c, _n in orgdata.townships(db)}:
        return "console.users.bad_scope_township"
    if role == COUNTY_ADMIN and scope not in {c for c, _n in orgdata.counties(db)}:
        return "console.users.bad_scope_county"
    return None


def create_user(db, username: str, display_name: str, role: str, scope: str, password: str,  # noqa: ANN001
                must_change: bool = True) -> ConsoleUser:
    """Validate and add a user (the console form and `bianmin server create-user` share it)."""
    if not username or not all(ch.isalnum() or ch in "._-" for ch in username) or len(username) > 40:
        raise ValueError("console.users.bad_username")
    if not display_name:
        raise ValueError("console.users.bad_display_name")
    problem = scope_problem(db, role, scope) or security.password_problem(password, username)
    if problem:
        raise ValueError(problem)
    if db.scalar(select(ConsoleUser.id).where(ConsoleUser.username == username)) is not None:
        raise ValueError("console.users.taken")
    user = ConsoleUser(username=username, display_name=display_name[:40], password_hash=security.hash_password(password),
                       role=role, scope_code=scope, active=True, must_change_password=must_change, created_at=now())
    db.add(user)
    db.flush()
    return user


@router.post("/users")
async def add_user(ctx: CtxDep) -> Response:
    require_role(ctx, COUNTY_ADMIN)
    form = await form_of(ctx)
    values = {k: field(form, k, 60) for k in ("username", "display_name", "role", "scope")}
    try:
        user = create_user(ctx.db, values["username"], values["display_name"], values["role"], values["scope"],
                           field(form, "password", 200))
    except ValueError as exc:
        ctx.db.rollback()
        return _users_page(ctx, 400, ctx.t(str(exc)), values)
    record(ctx.db, ctx.user, "user_created", "user", str(user.id), note=f"{user.username} {user.role} {user.scope_code}")
    ctx.db.commit()
    return redirect("/users", "saved")


def _other_user(ctx: Ctx, user_id: str) -> ConsoleUser:
    user = ctx.db.get(ConsoleUser, small_int(user_id)) if small_int(user_id) else None
    if user is None or user.id == ctx.user.id:
        raise Refused(404, "console.error.no_user")
    return user


@router.post("/users/{user_id}/toggle")
async def toggle_user(user_id: str, ctx: CtxDep) -> Response:
    require_role(ctx, COUNTY_ADMIN)
    await form_of(ctx)
    user = _other_user(ctx, user_id)
    user.active = not user.active
    if not user.active:
        from server.models.console import ConsoleSession

        ctx.db.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id))
    record(ctx.db, ctx.user, "user_enabled" if user.active else "user_disabled", "user", str(user.id), note=user.username)
    ctx.db.commit()
    return redirect("/users", "saved")


@router.post("/users/{user_id}/unlock")
async def unlock_user(user_id: str, ctx: CtxDep) -> Response:
    require_role(ctx, COUNTY_ADMIN)
    await form_of(ctx)
    user = _other_user(ctx, user_id)
    user.locked_until = None
    from server.models.console import LoginAttempt

    ctx.db.add(LoginAttempt(username=user.username, client="console", at=now(), success=True, outcome="unlocked"))
    record(ctx.db, ctx.user, "user_unlocked", "user", str(user.id), note=user.username)
    ctx.db.commit()
    return redirect("/users", "saved")


# ---- people: agents, photos, duty roster -------------------------------------------------------

def _manage_people(ctx: Ctx) -> bool:
    return ctx.user.role in (TOWNSHIP_STAFF, COUNTY_ADMIN)


def _people_page(ctx: Ctx, status: int = 200, error: str = "") -> Response:
    villages = visible_villages(ctx.db, ctx.user)
    ids = [v.id for v in villages]
    agents = ctx.db.scalars(select(Agent).where(Agent.village_id.in_(ids or [-1])).order_by(Agent.village_id, Agent.id)).all()
    roster = ctx.db.scalars(select(RosterEntry).where(RosterEntry.village_id.in_(ids or [-1]))
                            .order_by(RosterEntry.village_id, RosterEntry.weekday, RosterEntry.hours)).all()
    names = {v.id: v.name for v in villages}
    return page(ctx, "people.html", status=status, nav="people", villages=villages, agents=agents, roster=roster,
                village_names=names, can_manage=_manage_people(ctx), error=error)


@router.get("/people")
def people(ctx: CtxDep) -> Response:
    return _people_page(ctx)


def _own_village(ctx: Ctx, code: str):  # noqa: ANN202
    village = next((v for v in visible_villages(ctx.db, ctx.user) if v.code == code), None)
    if village is None:
        raise Refused(404, "console.filter.bad_village")
    return village


def _own_agent(ctx: Ctx, agent_id: str) -> Agent:
    ids = {v.id for v in visible_villages(ctx.db, ctx.user)}
    agent = ctx.db.get(Agent, small_int(agent_id)) if small_int(agent_id) else None
    if agent is None or agent.village_id not in ids:
        raise Refused(404, "console.error.no_agent")
    return agent


@router.post("/people")
async def add_agent(ctx: CtxDep) -> Response:
    if not _manage_people(ctx):
        raise Refused(403, "console.error.role")
    form = await form_of(ctx)
    name, position, phone = field(form, "name", 40), field(form, "position", 60), field(form, "phone", 20)
    village = _own_village(ctx, field(form, "village", 15))
    if not name:
        return _people_page(ctx, 400, ctx.t("console.people.name_required"))
    if phone and not ((phone.isascii() and phone.isdigit()) and 7 <= len(phone) <= 12):
        return _people_page(ctx, 400, ctx.t("console.people.bad_phone"))
    agent = Agent(village_id=village.id, name=name, position=position, phone=phone, active=True)
    ctx.db.add(agent)
    ctx.db.flush()
    record(ctx.db, ctx.user, "agent_added", "agent", str(agent.id), village_code=village.code, note=name)
    ctx.db.commit()
    return redirect("/people", "saved")


def _photos_dir():  # noqa: ANN202
    folder = paths.data_dir() / "agent-photos"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@router.post("/people/{agent_id}/photo")
async def upload_photo(agent_id: str, ctx: CtxDep) -> Response:
    if not _manage_people(ctx):
        raise Refused(403, "console.error.role")
    form = await form_of(ctx)
    agent = _own_agent(ctx, agent_id)
    upload = form.get("photo")
    data = await upload.read(PHOTO_MAX_BYTES + 1) if hasattr(upload, "read") else b""
    if not data:
        return _people_page(ctx, 400, ctx.t("console.people.photo_missing"))
    if len(data) > PHOTO_MAX_BYTES:
        return _people_page(ctx, 413, ctx.t("console.people.photo_too_big", mb=PHOTO_MAX_BYTES // uploads.MIB))
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            photo = img.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return _people_page(ctx, 400, ctx.t("console.people.photo_bad"))
    photo.thumbnail((360, 480))
    target = _photos_dir() / f"agent-{agent.id}.jpg"
    photo.save(target, "JPEG", quality=85)
    agent.photo_path = str(target)
    record(ctx.db, ctx.user, "agent_photo", "agent", str(agent.id), note=agent.name)
    ctx.db.commit()
    return redirect("/people", "saved")


@router.get("/people/{agent_id}/photo")
def agent_photo(agent_id: str, ctx: CtxDep) -> Response:
    agent = _own_agent(ctx, agent_id)
    if not agent.photo_path:
        raise Refused(404, "console.error.no_agent")
    from pathlib import Path

    file = Path(agent.photo_path)
    if not file.exists():
        raise Refused(404, "console.error.no_agent")
    return FileResponse(file, media_type="image/jpeg")


@router.post("/people/{agent_id}/toggle")
async def toggle_agent(agent_id: str, ctx: CtxDep) -> Response:
    if not _manage_people(ctx):
        raise Refused(403, "console.error.role")
    await form_of(ctx)
    agent = _own_agent(ctx, agent_id)
    agent.active = not agent.active
    record(ctx.db, ctx.user, "agent_toggled", "agent", str(agent.id), note=f"{agent.name} {agent.active}")
    ctx.db.commit()
    return redirect("/people", "saved")


@router.post("/roster")
async def add_shift(ctx: CtxDep) -> Response:
    if not _manage_people(ctx):
        raise Refused(403, "console.error.role")
    form = await form_of(ctx)
    if not small_int(field(form, "agent", 12)):
        return _people_page(ctx, 400, ctx.t("console.people.bad_agent"))
    agent = _own_agent(ctx, field(form, "agent", 10))
    weekday, hours = field(form, "weekday", 2), field(form, "hours", 40)
    if not (weekday.isascii() and weekday.isdigit() and 1 <= int(weekday) <= 7):
        return _people_page(ctx, 400, ctx.t("console.people.bad_weekday"))
    from bianmin.config import parse_span

    try:
        parse_span(hours)
    except ValueError:
        return _people_page(ctx, 400, ctx.t("console.people.bad_hours"))
    exists = ctx.db.scalar(select(RosterEntry.id).where(RosterEntry.agent_id == agent.id, RosterEntry.weekday == int(weekday),
                                                        RosterEntry.hours == hours))
    if exists is None:
        ctx.db.add(RosterEntry(village_id=agent.village_id, agent_id=agent.id, weekday=int(weekday), hours=hours, note=""))
        record(ctx.db, ctx.user, "roster_added", "agent", str(agent.id), note=f"{weekday} {hours}")
        ctx.db.commit()
    return redirect("/people", "saved")


@router.post("/roster/{entry_id}/delete")
async def delete_shift(entry_id: str, ctx: CtxDep) -> Response:
    if not _manage_people(ctx):
        raise Refused(403, "console.error.role")
    await form_of(ctx)
    ids = {v.id for v in visible_villages(ctx.db, ctx.user)}
    entry = ctx.db.get(RosterEntry, small_int(entry_id)) if small_int(entry_id) else None
    if entry is None or entry.village_id not in ids:
        raise Refused(404, "console.error.no_agent")
    ctx.db.delete(entry)
    record(ctx.db, ctx.user, "roster_removed", "agent", str(entry.agent_id), note=f"{entry.weekday} {entry.hours}")
    ctx.db.commit()
    return redirect("/people", "saved")


# ---- terminals -------------------------------------------------------------------------------

def _terminals_page(ctx: Ctx, status: int = 200, error: str = "", new_code: str = "", new_code_village: str = "") -> Response:
    villages = visible_villages(ctx.db, ctx.user)
    names = {v.id: v.name for v in villages}
    devices = ctx.db.scalars(select(Device).order_by(Device.village_id, Device.id)).all()
    codes = ctx.db.scalars(select(EnrolmentCode).where(EnrolmentCode.used_at.is_(None), EnrolmentCode.expires_at > now())
                           .order_by(EnrolmentCode.created_at.desc())).all()
    return page(ctx, "terminals.html", status=status, nav="terminals", villages=villages, devices=devices, codes=codes,
                village_names=names, error=error, new_code=new_code, new_code_village=new_code_village)


NEW_CODE_COOKIE = "bm_new_code"


def _code_mac(ctx: Ctx, village_code: str, code: str) -> str:
    return security.csrf_token_for(ctx.session.csrf_secret, f"enrolment:{village_code}:{code}")


@router.get("/terminals")
def terminals(ctx: CtxDep) -> Response:
    """The terminals; shows a just-made enrolment code once (handed over by a cookie, so a
    reload neither repeats the POST nor shows the code again)."""
    require_role(ctx, COUNTY_ADMIN)
    village_code, _, rest = (ctx.request.cookies.get(NEW_CODE_COOKIE) or "")[:300].partition(":")
    code, _, mac = rest.partition(":")
    new_code, village_name = "", ""
    if code and security.csrf_ok(ctx.session.csrf_secret, mac, f"enrolment:{village_code}:{code}"):
        village = next((v for v in visible_villages(ctx.db, ctx.user) if v.code == village_code), None)
        new_code, village_name = code, village.name if village else village_code
    response = _terminals_page(ctx, new_code=new_code, new_code_village=village_name)
    if NEW_CODE_COOKIE in ctx.request.cookies:
        response.delete_cookie(NEW_CODE_COOKIE, path=PREFIX + "/terminals")
    return response


@router.post("/terminals/codes")
async def new_code(ctx: CtxDep) -> Response:
    require_role(ctx, COUNTY_ADMIN)
    form = await form_of(ctx)
    village = _own_village(ctx, field(form, "village", 15))
    from server.console import orgdata

    code = orgdata.new_enrolment_code(ctx.db, village.id, f"user:{ctx.user.username}")
    record(ctx.db, ctx.user, "enrolment_code", "village", village.code, village_code=village.code)
    ctx.db.commit()
    response = redirect("/terminals")
    response.set_cookie(NEW_CODE_COOKIE, f"{village.code}:{code}:{_code_mac(ctx, village.code, code)}", max_age=300,
                        httponly=True, samesite="strict", secure=ctx.request.url.scheme == "https", path=PREFIX + "/terminals")
    return response


@router.post("/terminals/{device_id}/revoke")
async def revoke(device_id: str, ctx: CtxDep) -> Response:
    require_role(ctx, COUNTY_ADMIN)
    await form_of(ctx)
    device = ctx.db.get(Device, small_int(device_id)) if small_int(device_id) else None
    if device is None:
        raise Refused(404, "console.error.no_device")
    if not device.revoked:
        device.revoked, device.revoked_at = True, now()
        record(ctx.db, ctx.user, "device_revoked", "device", str(device.id), note=device.name)
        ctx.db.commit()
    return redirect("/terminals", "saved")
