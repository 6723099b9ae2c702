"""Dashboard, inbox, application detail and its actions, ledger, monthly report, audit log."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bianmin.domain.lifecycle import (
    CLOCK_RUNNING,
    OPEN_STATES,
    REASON_REQUIRED,
    Status,
    allowed_targets,
)
from bianmin.domain.masking import mask_id_number, mask_phone
from bianmin.domain.tracking import format_short_code, normalise_short_code
from server.console import catalogue_view, deadlines, ledger, reports
from server.console.audit import record
from server.console.process import ActionInput, ActionProblem, apply_transition, working_calendar
from server.console.scope import (
    COUNTY_ADMIN,
    TOWNSHIP_STAFF,
    VILLAGE_AGENT,
    VillageRef,
    visible_villages,
)
from server.console.web import Ctx, CtxDep, Refused, field, form_of, now, page, redirect, small_int
from server.models import Agent, Application, Rating
from server.models.console import AuditEntry, ConsoleUser, IdReveal
from server.security import decrypt_id_number

router = APIRouter()
PAGE_SIZE = 50
LEDGER_PAGE_ROWS = 500
EXPORT_MAX_ROWS = 50_000
REVEAL_ROLES = frozenset({VILLAGE_AGENT, TOWNSHIP_STAFF})  # those who handle the case in person
ALL_STATUSES = [s.value for s in Status]
OPEN_VALUES = [s.value for s in OPEN_STATES]
RUNNING_VALUES = [s.value for s in CLOCK_RUNNING]


# ---- helpers ---------------------------------------------------------------------------------

def _scope(ctx: Ctx) -> tuple[list[VillageRef], dict[int, VillageRef]]:
    villages = visible_villages(ctx.db, ctx.user)
    return villages, {v.id: v for v in villages}


def _restrict(query, ctx: Ctx, by_id: dict[int, VillageRef]):  # noqa: ANN001, ANN202
    """Limit a query on Application to the user's villages (county admins: no limit)."""
    if ctx.user.role == COUNTY_ADMIN:
        return query
    return query.where(Application.village_id.in_(list(by_id) or [-1]))


def _parse_date(value: str, errors: list[str], ctx: Ctx, label_key: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(ctx.t("console.filter.bad_date", field=ctx.t(label_key), value=value[:20]))
        return None


def _local_start(day: date) -> datetime:
    return datetime.combine(day, time(0), deadlines.LOCAL_TZ).astimezone(UTC)


def _village_filter(ctx: Ctx, value: str, by_code: dict[str, VillageRef], errors: list[str]) -> VillageRef | None | bool:
    """The chosen village if visible; False (nothing matches) if it names one outside the scope."""
    if not value:
        return None
    village = by_code.get(value)
    if village is None:
        errors.append(ctx.t("console.filter.bad_village"))
        return False
    return village


def _item_choices(db: Session) -> list[tuple[str, str]]:
    return sorted(((code, info.name) for code, info in catalogue_view.items(db).items()), key=lambda p: p[1])


def _load_app(ctx: Ctx, app_id: str, by_id: dict[int, VillageRef], for_update: bool = False) -> Application:
    number = small_int(app_id)
    if number is None:
        raise Refused(404, "console.error.no_application")
    query = select(Application).where(Application.id == number)
    if for_update:
        from server.db import begin_write

        begin_write(ctx.db)
        query = query.with_for_update()
    app = ctx.db.scalar(query)
    if app is None or (ctx.user.role != COUNTY_ADMIN and app.village_id not in by_id):
        raise Refused(404, "console.error.no_application")  # another village's case: as if absent
    return app


# ---- dashboard -------------------------------------------------------------------------------

@router.get("/")
def dashboard(ctx: CtxDep) -> Response:
    villages, by_id = _scope(ctx)
    calendar = working_calendar(ctx.db)
    today = deadlines.today()
    soon = calendar.add_working_days(today, deadlines.DUE_SOON_DAYS)
    month_start = _local_start(today.replace(day=1))
    stats = {v.id: {"code": v.code, "name": v.name, "open": 0, "new": 0, "due_soon": 0, "overdue": 0, "done_month": 0} for v in villages}
    q = _restrict(select(Application.village_id, Application.status, Application.due_date, func.count())
                  .where(Application.status.in_(OPEN_VALUES)), ctx, by_id)
    for village_id, status, due_on, n in ctx.db.execute(q.group_by(Application.village_id, Application.status, Application.due_date)):
        row = stats.get(village_id)
        if row is None:
            continue
        row["open"] += n
        if status == Status.SUBMITTED:
            row["new"] += n
        f = deadlines.flag(status, due_on, calendar, today)
        if f == "overdue":
            row["overdue"] += n
        elif f == "due-soon":
            row["due_soon"] += n
    q = _restrict(select(Application.village_id, func.count()).where(Application.completed_at >= month_start), ctx, by_id)
    for village_id, n in ctx.db.execute(q.group_by(Application.village_id)):
        if village_id in stats:
            stats[village_id]["done_month"] = n
    per_village = list(stats.values())
    totals = {k: sum(r[k] for r in per_village) for k in ("open", "new", "due_soon", "overdue")}
    per_village.sort(key=lambda r: (-r["overdue"], -r["open"], r["code"]))
    return page(ctx, "dashboard.html", nav="dashboard", per_village=per_village, totals=totals, soon_date=soon.isoformat())


# ---- inbox -----------------------------------------------------------------------------------

@router.get("/inbox")
def inbox(ctx: CtxDep, status: str = "", village: str = "", item: str = "",
          due_before: str = "", overdue: str = "", q: str = "", page_no: str = "1") -> Response:
    villages, by_id = _scope(ctx)
    by_code = {v.code: v for v in villages}
    errors: list[str] = []
    f = {"status": status[:30], "village": village[:15], "item": item[:40], "due_before": due_before[:10],
         "overdue": overdue == "1", "q": q[:40]}
    query = _restrict(select(Application), ctx, by_id)
    if status == "all":
        pass
    elif status in ALL_STATUSES:
        query = query.where(Application.status == status)
    else:
        if status:
            errors.append(ctx.t("console.filter.bad_status"))
        query = query.where(Application.status.in_(OPEN_VALUES))
    chosen = _village_filter(ctx, village, by_code, errors)
    if chosen is False:
        query = query.where(False)
    elif chosen is not None:
        query = query.where(Application.village_id == chosen.id)
    if item:
        query = query.where(Application.item_code == item[:40])
    due = _parse_date(due_before, errors, ctx, "console.filter.due_before")
    today = deadlines.today()
    if due is not None:
        query = query.where(Application.due_date <= due, Application.status.in_(RUNNING_VALUES))
    if f["overdue"]:
        query = query.where(Application.due_date < today, Application.status.in_(RUNNING_VALUES))
    text = q.strip()[:40]
    if text:
        code = normalise_short_code(text)
        if code:
            query = query.where(Application.short_code == code)
        else:
            query = query.where(or_(Application.applicant_name.startswith(text, autoescape=True),
                                    Application.phone.endswith(text, autoescape=True) if text.isdigit() and len(text) == 4 else False))
    total = ctx.db.scalar(select(func.count()).select_from(query.with_only_columns(Application.id).subquery()))
    pages = max(1, math.ceil(total / PAGE_SIZE))
    number = min(small_int(page_no) or 1, pages)
    if f["overdue"] or due is not None:
        order = (Application.due_date.asc(), Application.id.asc())
    else:
        order = (Application.created_at.desc(), Application.id.desc())
    cols = query.with_only_columns(Application.id, Application.short_code, Application.created_at, Application.village_id,
                                   Application.item_name, Application.applicant_name, Application.status, Application.due_date)
    calendar = working_calendar(ctx.db)
    names = {v.id: v.name for v in villages}
    rows = []
    for r in ctx.db.execute(cols.order_by(*order).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)):
        rows.append({"id": r.id, "code": format_short_code(r.short_code), "registered": deadlines.local_date(r.created_at).isoformat(),
                     "village": names.get(r.village_id, ""), "item": r.item_name, "applicant": r.applicant_name,
                     "status": r.status, "due": r.due_date.isoformat() if r.due_date else "",
                     "flag": deadlines.flag(r.status, r.due_date, calendar, today)})
    params = {k: v for k, v in {"status": status, "village": village, "item": item, "due_before": due_before,
                                "overdue": "1" if f["overdue"] else "", "q": text}.items() if v}

    def page_url(n: int) -> str:
        return "/console/inbox?" + urlencode({**params, "page_no": n})

    return page(ctx, "inbox.html", nav="inbox", rows=rows, total=total, page=number, pages=pages, page_url=page_url,
                f=f, statuses=ALL_STATUSES, villages=villages, items=_item_choices(ctx.db), filter_errors=errors)


# ---- detail and actions ----------------------------------------------------------------------

def _detail(ctx: Ctx, app: Application, by_id: dict[int, VillageRef], *, status: int = 200, error: str = "",
            revealed: str | None = None) -> Response:
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
    actor_ids = {int(ev.actor.split(":")[1]) for ev in app.events if ev.actor.startswith("user:") and ev.actor[5:].isascii() and ev.actor[5:].isdigit()}
    actors = dict(ctx.db.execute(select(ConsoleUser.id, ConsoleUser.display_name).where(ConsoleUser.id.in_(actor_ids))).all()) if actor_ids else {}
    timeline = []
    for ev in app.events:
        who = ev.actor
        if ev.actor.startswith("user:") and ev.actor[5:].isascii() and ev.actor[5:].isdigit():
            who = actors.get(int(ev.actor[5:]), ev.actor)
        elif ev.actor.startswith("kiosk"):
            who = ctx.t("console.actor.kiosk")
        timeline.append({"status": ev.to_status, "at": ev.at.astimezone(deadlines.LOCAL_TZ).strftime("%Y-%m-%d %H:%M"),
                         "actor": who, "note": ev.note, "materials": ev.missing_materials, "office": ""})
    id_text = ""
    if app.id_number_enc:
        id_text = revealed or _masked_id(ctx, app)
    data = {
        "id": app.id, "code": format_short_code(app.short_code), "item": app.item_name, "status": app.status,
        "village": village.name if village else "", "applicant": app.applicant_name, "phone": mask_phone(app.phone),
        "id_number": id_text, "can_reveal": bool(app.id_number_enc) and revealed is None and ctx.user.role in REVEAL_ROLES,
        "registered": app.created_at.astimezone(deadlines.LOCAL_TZ).strftime("%Y-%m-%d %H:%M"),
        "accepted": app.accepted_on.isoformat() if app.accepted_on else "", "promised_days": app.promised_days,
        "due": app.due_date.isoformat() if app.due_date else "",
        "finished": deadlines.local_date(app.completed_at).isoformat() if app.completed_at else "",
        "note": app.note, "brought": app.materials_brought or [], "missing": app.materials_missing or [],
        "flag": deadlines.flag(app.status, app.due_date, calendar),
    }
    materials = list(dict.fromkeys([*(info.materials if info else ()), *(app.materials_missing or [])]))
    return page(ctx, "detail.html", status=status, nav="inbox", a=data, actions=actions, materials=materials,
                offices=offices, timeline=timeline, error=error)


def _masked_id(ctx: Ctx, app: Application) -> str:
    try:
        return mask_id_number(decrypt_id_number(ctx.request.app.state.fernet, app.id_number_enc))
    except Exception:  # wrong key or damaged value (None)
        return ctx.t("console.detail.id_unreadable")


def _township_name(db: Session, code: str) -> str:
    from server.models import Township

    return db.scalar(select(Township.name).where(Township.code == code)) or code


@router.get("/applications/{app_id}")
def detail(app_id: str, ctx: CtxDep) -> Response:
    _villages, by_id = _scope(ctx)
    app = _load_app(ctx, app_id, by_id)
    return _detail(ctx, app, by_id)


@router.post("/applications/{app_id}/transition")
async def transition(app_id: str, ctx: CtxDep) -> Response:
    form = await form_of(ctx)
    _villages, by_id = _scope(ctx)
    app = _load_app(ctx, app_id, by_id, for_update=True)
    info = catalogue_view.items(ctx.db).get(app.item_code)
    action = ActionInput(
        target=field(form, "target", 30),
        note=field(form, "note", 500),
        materials=[m.strip()[:200] for m in form.getlist("materials") if isinstance(m, str) and m.strip()][:60],
        office=field(form, "office", 100),
    )
    try:
        apply_transition(ctx.db, ctx.user, app, action, item_materials=info.materials if info else (),
                         item_type=info.item_type if info else "proxy")
    except ActionProblem as problem:
        ctx.db.rollback()
        app = _load_app(ctx, app_id, by_id)
        fmt = {k: ctx.t(f"status.{v}") for k, v in problem.fmt.items()}
        return _detail(ctx, app, by_id, status=409 if problem.key == "lifecycle.illegal" else 400,
                       error=ctx.t(problem.key, **fmt))
    ctx.db.commit()
    return redirect(f"/applications/{app.id}", "done")


@router.post("/applications/{app_id}/reveal")
async def reveal(app_id: str, ctx: CtxDep) -> Response:
    await form_of(ctx)
    _villages, by_id = _scope(ctx)
    app = _load_app(ctx, app_id, by_id)
    if ctx.user.role not in REVEAL_ROLES or not app.id_number_enc:
        raise Refused(403, "console.error.reveal")
    number = decrypt_id_number(ctx.request.app.state.fernet, app.id_number_enc)
    if number is None:  # wrong key or damaged value: say so, never a 500
        return _detail(ctx, app, by_id, status=400, error=ctx.t("console.detail.id_unreadable"))
    ctx.db.add(IdReveal(at=now(), user_id=ctx.user.id, username=ctx.user.username, application_id=str(app.id)))
    village = by_id.get(app.village_id)
    record(ctx.db, ctx.user, "id_revealed", "application", str(app.id), village_code=village.code if village else None)
    ctx.db.commit()
    return _detail(ctx, app, by_id, revealed=number)


# ---- ledger ----------------------------------------------------------------------------------

def _ledger_query(ctx: Ctx, params: dict[str, str]):  # noqa: ANN202
    villages, by_id = _scope(ctx)
    by_code = {v.code: v for v in villages}
    errors: list[str] = []
    today = deadlines.today()
    date_from = _parse_date(params.get("date_from", ""), errors, ctx, "console.filter.from")
    date_to = _parse_date(params.get("date_to", ""), errors, ctx, "console.filter.to")
    if not params.get("date_from") and not params.get("date_to"):
        date_from, date_to = today.replace(day=1), today
    query = _restrict(select(Application), ctx, by_id)
    if date_from:
        query = query.where(Application.created_at >= _local_start(date_from))
    if date_to:
        query = query.where(Application.created_at < _local_start(date_to + timedelta(days=1)))
    chosen = _village_filter(ctx, params.get("village", ""), by_code, errors)
    if chosen is False:
        query = query.where(False)
    elif chosen is not None:
        query = query.where(Application.village_id == chosen.id)
    if params.get("item"):
        query = query.where(Application.item_code == params["item"][:40])
    status = params.get("status", "all")
    if status in ALL_STATUSES:
        query = query.where(Application.status == status)
    f = {"date_from": date_from.isoformat() if date_from else "", "date_to": date_to.isoformat() if date_to else "",
         "village": params.get("village", "")[:15], "item": params.get("item", "")[:40], "status": status[:30]}
    return query.order_by(Application.created_at, Application.id), f, errors, villages, by_id


def _ledger_rows(ctx: Ctx, query, by_id: dict[int, VillageRef], limit: int) -> list[ledger.LedgerRow]:  # noqa: ANN001
    names = {v.id: v.name for v in by_id.values()}
    if ctx.user.role == COUNTY_ADMIN:
        names = {v.id: v.name for v in visible_villages(ctx.db, ctx.user)}
    agents = dict(ctx.db.execute(select(Agent.id, Agent.name)).all())
    rows = []
    for app in ctx.db.scalars(query.limit(limit)):
        finished = deadlines.local_date(app.completed_at) if app.completed_at else None
        rows.append(ledger.LedgerRow(
            registered_on=deadlines.local_date(app.created_at), village=names.get(app.village_id, ""), item=app.item_name,
            applicant=app.applicant_name, phone=app.phone, status=app.status, accepted_on=app.accepted_on,
            due_on=app.due_date, finished_on=finished,
            overdue=deadlines.was_late(app.due_date, finished, app.status),
            agent=agents.get(app.assigned_agent_id, "") if app.assigned_agent_id else "",
            short_code=format_short_code(app.short_code), note=app.note,
        ))
    return rows


@router.get("/ledger")
def ledger_page(ctx: CtxDep, date_from: str = "", date_to: str = "", village: str = "",
                item: str = "", status: str = "all") -> Response:
    params = {"date_from": date_from, "date_to": date_to, "village": village, "item": item, "status": status}
    query, f, errors, villages, by_id = _ledger_query(ctx, params)
    rows = _ledger_rows(ctx, query, by_id, LEDGER_PAGE_ROWS + 1)
    truncated = len(rows) > LEDGER_PAGE_ROWS
    rows = rows[:LEDGER_PAGE_ROWS]
    cells = [[ledger._text(c) if not isinstance(c, int) else c for c in ledger._cells(i, r, ctx.lang)] for i, r in enumerate(rows, 1)]
    return page(ctx, "ledger.html", nav="ledger", rows=cells, headers=ledger.headers(ctx.lang), f=f, filter_errors=errors,
                villages=villages, items=_item_choices(ctx.db), statuses=ALL_STATUSES, truncated=truncated,
                query=urlencode({k: v for k, v in f.items() if v}))


def _export(ctx: Ctx, params: dict[str, str], kind: str) -> Response:
    query, f, errors, _villages, by_id = _ledger_query(ctx, params)
    if errors:
        raise Refused(400, "console.filter.bad_export", problems="；".join(errors))
    rows = _ledger_rows(ctx, query, by_id, EXPORT_MAX_ROWS)
    stem = f"ledger-{f['date_from'] or 'all'}-{f['date_to'] or 'all'}"
    record(ctx.db, ctx.user, "ledger_export", "ledger", kind, note=urlencode({k: v for k, v in f.items() if v}))
    ctx.db.commit()
    if kind == "csv":
        body, media = ledger.to_csv(rows, ctx.lang), "text/csv; charset=utf-8"
    else:
        title = ctx.t("console.ledger.xlsx_title", start=f["date_from"] or "…", end=f["date_to"] or "…")
        body = ledger.to_xlsx(rows, title, ctx.lang)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{stem}.{kind}"',
                                                     "Cache-Control": "no-store"})


@router.get("/ledger.csv")
def ledger_csv(ctx: CtxDep, date_from: str = "", date_to: str = "", village: str = "",
               item: str = "", status: str = "all") -> Response:
    return _export(ctx, {"date_from": date_from, "date_to": date_to, "village": village, "item": item, "status": status}, "csv")


@router.get("/ledger.xlsx")
def ledger_xlsx(ctx: CtxDep, date_from: str = "", date_to: str = "", village: str = "",
                item: str = "", status: str = "all") -> Response:
    return _export(ctx, {"date_from": date_from, "date_to": date_to, "village": village, "item": item, "status": status}, "xlsx")


# ---- monthly report --------------------------------------------------------------------------

@router.get("/reports")
def report_page(ctx: CtxDep, month: str = "") -> Response:
    errors: list[str] = []
    today = deadlines.today()
    year, mon = today.year, today.month
    if month:
        try:
            year, mon = (int(p) for p in month.split("-"))
            date(year, mon, 1)
        except ValueError:
            errors.append(ctx.t("console.reports.bad_month", value=month[:20]))
            year, mon = today.year, today.month
    start, end = reports.month_bounds(year, mon)
    villages, by_id = _scope(ctx)
    names = {v.id: v.name for v in villages}
    agents = dict(ctx.db.execute(select(Agent.id, Agent.name)).all())
    query = _restrict(select(Application.uuid, Application.item_name, Application.village_id, Application.assigned_agent_id,
                             Application.created_at, Application.accepted_on, Application.due_date, Application.completed_at)
                      .where(Application.created_at >= _local_start(start), Application.created_at < _local_start(end)), ctx, by_id)
    apps = ctx.db.execute(query).all()
    ratings: dict[str, int] = {}
    uuids = [a.uuid for a in apps]
    for chunk in range(0, len(uuids), 1000):
        for uuid, level in ctx.db.execute(select(Rating.application_uuid, Rating.level)
                                          .where(Rating.application_uuid.in_(uuids[chunk:chunk + 1000]))):
            ratings[uuid] = level
    unassigned = ctx.t("console.reports.unassigned")
    facts = [reports.CaseFact(item=a.item_name, village=names.get(a.village_id, ""),
                              agent=agents.get(a.assigned_agent_id, unassigned) if a.assigned_agent_id else unassigned,
                              registered_on=deadlines.local_date(a.created_at), accepted_on=a.accepted_on, due_on=a.due_date,
                              finished_on=deadlines.local_date(a.completed_at) if a.completed_at else None,
                              rating=ratings.get(a.uuid)) for a in apps]
    calendar = working_calendar(ctx.db)

    class Section:
        def __init__(self, title: str, column: str, groups: list[reports.Group]):
            self.title, self.column, self.groups = title, column, groups
            self.maximum = max((g.cases for g in groups), default=0)

        def width(self, value: int) -> int:
            return reports.bar_percent(value, self.maximum)

    sections = [
        Section("console.reports.by_item", "console.col.item", reports.summarise(facts, lambda f: f.item, calendar)),
        Section("console.reports.by_village", "console.col.village", reports.summarise(facts, lambda f: f.village, calendar)),
        Section("console.reports.by_agent", "console.col.agent", reports.summarise(facts, lambda f: f.agent, calendar)),
    ]
    # 投诉 and 差评 counts (feat/track); None for village agents.
    from server.public.supervision import complaint_counts_for

    return page(ctx, "reports.html", nav="reports", sections=sections, overall=reports.total(facts, calendar),
                month=f"{year:04d}-{mon:02d}", month_label=ctx.t("console.reports.month_label", year=year, month=mon),
                filter_errors=errors, complaints=complaint_counts_for(ctx, start, end))


# ---- audit log -------------------------------------------------------------------------------

@router.get("/audit")
def audit_page(ctx: CtxDep, application: str = "", page_no: str = "1") -> Response:
    villages, _by_id = _scope(ctx)
    query = select(AuditEntry)
    if ctx.user.role != COUNTY_ADMIN:
        codes = [v.code for v in villages]
        query = query.where(AuditEntry.village_code.in_(codes or ["-"]))
    if small_int(application):
        query = query.where(AuditEntry.target_type == "application", AuditEntry.target_id == str(small_int(application)))
    number = min(small_int(page_no) or 1, 100_000)
    entries = ctx.db.scalars(query.order_by(AuditEntry.id.desc()).limit(PAGE_SIZE + 1).offset((number - 1) * PAGE_SIZE)).all()
    shown = [{"at": e.at.astimezone(deadlines.LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S"), "username": e.username, "action": e.action,
              "target_type": e.target_type, "target_id": e.target_id, "from_status": e.from_status, "to_status": e.to_status,
              "note": e.note} for e in entries[:PAGE_SIZE]]
    return page(ctx, "audit.html", nav="audit", entries=shown, page=number, more=len(entries) > PAGE_SIZE,
                f={"application": application[:12]})
