"""Applications: the inbox, one application's page, its status actions and the ID reveal.

Every POST answers with a redirect (post-redirect-get), so reloading a page never
repeats an action: the ID reveal hands the GET a short-lived signed grant instead
of the number, and the GET shows it without writing another audit row.
"""

from __future__ import annotations

import math
import time
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bianmin.domain.lifecycle import REASON_REQUIRED, Status, allowed_targets
from bianmin.domain.masking import mask_id_number, mask_phone
from bianmin.domain.tracking import format_short_code
from server.console import catalogue_view, deadlines, inputs, security
from server.console.audit import record
from server.console.cases import (
    form_values,
    item_choices,
    load_application,
    read_filter,
    scope,
    scope_ids,
)
from server.console.process import ActionInput, ActionProblem, apply_transition, working_calendar
from server.console.scope import TOWNSHIP_STAFF, VILLAGE_AGENT, VillageRef, visible_villages
from server.console.web import Ctx, CtxDep, Refused, field, form_of, now, page, redirect, small_int
from server.models import Application
from server.models.case_queries import ALL_STATUSES, select_cases
from server.models.console import ConsoleUser, IdReveal
from server.security import decrypt_id_number

router = APIRouter()
PAGE_SIZE = 50
REVEAL_ROLES = frozenset({VILLAGE_AGENT, TOWNSHIP_STAFF})  # those who handle the case in person
REVEAL_SHOWN_FOR = 120  # seconds a reveal grant shows the full number (reloads included)
MAX_OTHER_MATERIALS = 10


# ---- inbox -----------------------------------------------------------------------------------

@router.get("/inbox")
def inbox(ctx: CtxDep, status: str = "", village: str = "", item: str = "",
          due_before: str = "", overdue: str = "", q: str = "", page_no: str = "1") -> Response:
    villages, by_id = scope(ctx)
    raw = {"status": status, "village": village, "item": item, "due_before": due_before, "overdue": overdue, "q": q}
    f, village_id, errors = read_filter(ctx, raw, villages)
    today = deadlines.today()
    order = "due" if f.overdue or f.due_before else "newest"
    query = select_cases(f, village_ids=scope_ids(ctx, by_id), village_id=village_id, zone=deadlines.LOCAL_TZ,
                         today=today, order=order)
    total = ctx.db.scalar(select(func.count()).select_from(query.order_by(None).with_only_columns(Application.id).subquery()))
    pages = max(1, math.ceil(total / PAGE_SIZE))
    number = min(small_int(page_no) or 1, pages)
    cols = query.with_only_columns(Application.id, Application.short_code, Application.created_at, Application.village_id,
                                   Application.item_name, Application.applicant_name, Application.status, Application.due_date)
    calendar = working_calendar(ctx.db)
    names = {v.id: v.name for v in villages}
    rows = []
    for r in ctx.db.execute(cols.limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)):
        rows.append({"id": r.id, "code": format_short_code(r.short_code), "registered": deadlines.local_date(r.created_at).isoformat(),
                     "village": names.get(r.village_id, ""), "item": r.item_name, "applicant": r.applicant_name,
                     "status": r.status, "due": r.due_date.isoformat() if r.due_date else "",
                     "flag": deadlines.flag(r.status, r.due_date, calendar, today)})
    params = f.query_params()

    def page_url(n: int) -> str:
        return "/console/inbox?" + urlencode({**params, "page_no": n})

    return page(ctx, "inbox.html", nav="inbox", rows=rows, total=total, page=number, pages=pages, page_url=page_url,
                f=form_values(f), statuses=ALL_STATUSES, villages=villages, items=item_choices(ctx.db), filter_errors=errors)


# ---- detail ----------------------------------------------------------------------------------

def _township_name(db: Session, code: str) -> str:
    from server.models import Township

    return db.scalar(select(Township.name).where(Township.code == code)) or code


def _decrypt(ctx: Ctx, app: Application) -> str | None:
    """The ID number with the key loaded once at start; None for a wrong key or damaged value."""
    return decrypt_id_number(ctx.request.app.state.fernet, app.id_number_enc)


def _reveal_mac(ctx: Ctx, app_id: int, at: int) -> str:
    return security.csrf_token_for(ctx.session.csrf_secret, f"reveal:{app_id}:{at}")


def _reveal_granted(ctx: Ctx, app: Application) -> bool:
    """True if this session revealed this number moments ago (the grant in the redirect URL)."""
    at_text, mac = ctx.request.query_params.get("shown_at", ""), ctx.request.query_params.get("shown", "")
    at = small_int(at_text)
    if at is None or not mac or not (0 <= time.time() - at <= REVEAL_SHOWN_FOR):
        return False
    return security.csrf_ok(ctx.session.csrf_secret, mac, f"reveal:{app.id}:{at}")


def _detail(ctx: Ctx, app: Application, by_id: dict[int, VillageRef], *, status: int = 200, error: str = "") -> Response:
    info = catalogue_view.items(ctx.db).get(app.item_code)
    calendar = working_calendar(ctx.db)
    village = by_id.get(app.village_id)
    if village is None:  # county admin
        village = next((v for v in visible_villages(ctx.db, ctx.user) if v.id == app.village_id), None)
    item_type = info.item_type if info else "proxy"
    targets = sorted(allowed_targets(Status(app.status), item_type), key=ALL_STATUSES.index)
    actions = [{"target": t.value, "reason": t in REASON_REQUIRED} for t in targets]
    offices = []
    if village is not None:
        offices.append(ctx.t("console.office.township", township=_township_name(ctx.db, village.township_code)))
    offices.append(ctx.t("console.office.county"))
    if info and info.office and info.office not in offices:
        offices.append(info.office)
    user_ids = {ev.actor[5:] for ev in app.events if ev.actor.startswith("user:")}
    actor_ids = {int(i) for i in user_ids if small_int(i)}
    actors = dict(ctx.db.execute(select(ConsoleUser.id, ConsoleUser.display_name).where(ConsoleUser.id.in_(actor_ids))).all()) if actor_ids else {}
    timeline = []
    for ev in app.events:
        who = ev.actor
        if ev.actor.startswith("user:") and small_int(ev.actor[5:]):
            who = actors.get(int(ev.actor[5:]), ev.actor)
        elif ev.actor.startswith("kiosk"):
            who = ctx.t("console.actor.kiosk")
        timeline.append({"status": ev.to_status, "at": ev.at.astimezone(deadlines.LOCAL_TZ).strftime("%Y-%m-%d %H:%M"),
                         "actor": who, "note": ev.note, "materials": ev.missing_materials, "office": ""})
    revealed = _reveal_granted(ctx, app) and ctx.user.role in REVEAL_ROLES
    id_text = ""
    if app.id_number_enc:
        number = _decrypt(ctx, app)
        if number is None:
            id_text = ctx.t("console.detail.id_unreadable")
        else:
            id_text = number if revealed else mask_id_number(number)
    brought = list(app.materials_brought or [])
    # 需补交 only while the villager may still be asked for it (before acceptance, or while the
    # case waits for materials); once accepted or finished it is history, kept in the timeline.
    missing = list(app.materials_missing or []) if app.status in (Status.SUBMITTED, Status.AWAITING_MATERIALS) else []
    data = {
        "id": app.id, "code": format_short_code(app.short_code), "item": app.item_name, "status": app.status,
        "village": village.name if village else "", "applicant": app.applicant_name, "phone": mask_phone(app.phone),
        "phone_tel": app.phone if app.phone and app.phone.isascii() and app.phone.replace("+", "").isdigit() else "",
        "id_number": id_text, "can_reveal": bool(app.id_number_enc) and not revealed and ctx.user.role in REVEAL_ROLES,
        "registered": app.created_at.astimezone(deadlines.LOCAL_TZ).strftime("%Y-%m-%d %H:%M"),
        "accepted": app.accepted_on.isoformat() if app.accepted_on else "", "promised_days": app.promised_days,
        "due": app.due_date.isoformat() if app.due_date else "",
        "finished": deadlines.local_date(app.completed_at).isoformat() if app.completed_at else "",
        "note": app.note, "brought": brought, "missing": missing,
        "flag": deadlines.flag(app.status, app.due_date, calendar),
    }
    # 一次性告知: offer what the item needs and the villager has not brought (plus what is still missing).
    needed = [m for m in (info.materials if info else ()) if m not in brought]
    materials = list(dict.fromkeys([*needed, *missing]))
    return page(ctx, "detail.html", status=status, nav="inbox", a=data, actions=actions, materials=materials,
                offices=offices, timeline=timeline, error=error)


@router.get("/applications/{app_id}")
def detail(app_id: str, ctx: CtxDep) -> Response:
    _villages, by_id = scope(ctx)
    app = load_application(ctx, app_id, by_id)
    return _detail(ctx, app, by_id)


# ---- actions ---------------------------------------------------------------------------------

def _other_materials(form) -> list[str]:  # noqa: ANN001
    """Materials typed by hand (one per line, or separated by 、，,) for what the catalogue lacks."""
    text = field(form, "materials_other", 1000, multiline=True)
    names = [n.strip() for part in text.replace("，", "\n").replace(",", "\n").replace("、", "\n").splitlines()
             for n in [part] if n.strip()]
    return [inputs.line(n, 100) for n in dict.fromkeys(names)][:MAX_OTHER_MATERIALS]


@router.post("/applications/{app_id}/transition")
async def transition(app_id: str, ctx: CtxDep) -> Response:
    form = await form_of(ctx)
    _villages, by_id = scope(ctx)
    action = ActionInput(
        target=field(form, "target", 30),
        note=field(form, "note", 500, multiline=True),
        materials=[inputs.line(m, 200) for m in form.getlist("materials") if isinstance(m, str) and m.strip()][:60],
        other_materials=_other_materials(form),
        office=field(form, "office", 100),
    )
    app = load_application(ctx, app_id, by_id, for_update=True)
    info = catalogue_view.items(ctx.db).get(app.item_code)
    try:
        apply_transition(ctx.db, ctx.user, app, action, item_materials=info.materials if info else (),
                         item_type=info.item_type if info else "proxy")
    except ActionProblem as problem:
        ctx.db.rollback()
        app = load_application(ctx, app_id, by_id)
        fmt = {k: ctx.t(f"status.{v}") for k, v in problem.fmt.items()}
        return _detail(ctx, app, by_id, status=409 if problem.key == "lifecycle.illegal" else 400,
                       error=ctx.t(problem.key, **fmt))
    ctx.db.commit()
    return redirect(f"/applications/{app.id}", "done")


@router.post("/applications/{app_id}/reveal")
async def reveal(app_id: str, ctx: CtxDep) -> Response:
    """Log the reveal once, then redirect to the page with a short-lived grant to show it."""
    await form_of(ctx)
    _villages, by_id = scope(ctx)
    app = load_application(ctx, app_id, by_id)
    if ctx.user.role not in REVEAL_ROLES or not app.id_number_enc:
        raise Refused(403, "console.error.reveal")
    if _decrypt(ctx, app) is None:  # wrong key or damaged value: say so, never a 500
        return _detail(ctx, app, by_id, status=400, error=ctx.t("console.detail.id_unreadable"))
    ctx.db.add(IdReveal(at=now(), user_id=ctx.user.id, username=ctx.user.username, application_id=str(app.id)))
    village = by_id.get(app.village_id)
    record(ctx.db, ctx.user, "id_revealed", "application", str(app.id), village_code=village.code if village else None)
    ctx.db.commit()
    at = int(time.time())
    return redirect(f"/applications/{app.id}?shown_at={at}&shown={_reveal_mac(ctx, app.id, at)}#id-number")
