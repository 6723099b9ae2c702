"""The ledger (台账) page and its CSV/XLSX exports, on the filter the inbox shares."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import select

from bianmin.domain.tracking import format_short_code
from server.console import deadlines, ledger
from server.console.audit import record
from server.console.cases import form_values, item_choices, read_filter, scope, scope_ids
from server.console.scope import COUNTY_ADMIN, TOWNSHIP_STAFF, VillageRef, visible_villages
from server.console.web import Ctx, CtxDep, Refused, field, form_of, page
from server.models import Agent, County, Township
from server.models.case_queries import (
    ALL_STATUSES,
    CaseFilter,
    forwarded_offices,
    ratings_for,
    select_cases,
)

router = APIRouter()
LEDGER_PAGE_ROWS = 500
EXPORT_FIELDS = ("date_from", "date_to", "village", "item", "status")
EXPORT_MAX_ROWS = 50_000


def _ledger(ctx: Ctx, raw: dict[str, str]):  # noqa: ANN202
    villages, by_id = scope(ctx)
    today = deadlines.today()
    f, village_id, errors = read_filter(ctx, raw, villages, defaults={"status": "all"})
    if not f.date_from and not f.date_to:  # the month so far
        f = f.model_copy(update={"date_from": today.replace(day=1), "date_to": today})
    query = select_cases(f, village_ids=scope_ids(ctx, by_id), village_id=village_id, zone=deadlines.LOCAL_TZ,
                         today=today, order="oldest")
    return query, f, village_id, errors, villages, by_id


def _rows(ctx: Ctx, query, by_id: dict[int, VillageRef], limit: int) -> list[ledger.LedgerRow]:  # noqa: ANN001
    names = {v.id: v.name for v in (visible_villages(ctx.db, ctx.user) if ctx.user.role == COUNTY_ADMIN else by_id.values())}
    agents = dict(ctx.db.execute(select(Agent.id, Agent.name)).all())
    apps = ctx.db.scalars(query.limit(limit)).all()
    ratings = ratings_for(ctx.db, [a.uuid for a in apps])
    offices = forwarded_offices(ctx.db, [a.id for a in apps])
    rows = []
    for app in apps:
        finished = deadlines.local_date(app.completed_at) if app.completed_at else None
        rows.append(ledger.LedgerRow(
            registered_on=deadlines.local_date(app.created_at), village=names.get(app.village_id, ""), item=app.item_name,
            applicant=app.applicant_name, phone=app.phone, status=app.status, accepted_on=app.accepted_on,
            due_on=app.due_date, finished_on=finished,
            overdue=deadlines.was_late(app.due_date, finished, app.status),
            agent=agents.get(app.assigned_agent_id, "") if app.assigned_agent_id else "",
            short_code=format_short_code(app.short_code), note=app.note,
            forwarded_to=offices.get(app.id, ""), rating=ratings.get(app.uuid),
        ))
    return rows


def _place(ctx: Ctx, villages: list[VillageRef], village_id: int | None | bool) -> tuple[str, str]:
    """(name, code) of what the ledger covers: the chosen village, else the user's scope."""
    chosen = next((v for v in villages if v.id == village_id), None) if village_id else None
    if chosen is None and len(villages) == 1:
        chosen = villages[0]
    if chosen is not None:
        return chosen.name, chosen.code
    if ctx.user.role == TOWNSHIP_STAFF:
        name = ctx.db.scalar(select(Township.name).where(Township.code == ctx.user.scope_code))
        return name or ctx.user.scope_code, ctx.user.scope_code
    name = ctx.db.scalar(select(County.name).where(County.code == ctx.user.scope_code))
    return name or "", ctx.user.scope_code


@router.get("/ledger")
def ledger_page(ctx: CtxDep, date_from: str = "", date_to: str = "", village: str = "",
                item: str = "", status: str = "all") -> Response:
    raw = {"date_from": date_from, "date_to": date_to, "village": village, "item": item, "status": status}
    query, f, _village_id, errors, villages, by_id = _ledger(ctx, raw)
    rows = _rows(ctx, query, by_id, LEDGER_PAGE_ROWS + 1)
    truncated = len(rows) > LEDGER_PAGE_ROWS
    rows = rows[:LEDGER_PAGE_ROWS]
    cells = [[ledger._text(c) if not isinstance(c, int) else c for c in ledger._cells(i, r, ctx.lang)] for i, r in enumerate(rows, 1)]
    return page(ctx, "ledger.html", nav="ledger", rows=cells, headers=ledger.headers(ctx.lang), f=form_values(f),
                filter_errors=errors, villages=villages, items=item_choices(ctx.db), statuses=ALL_STATUSES,
                truncated=truncated, export=_export_params(f))


def _export_params(f: CaseFilter) -> dict[str, str]:
    params = f.query_params()
    params.setdefault("status", "all")
    return params


def _export(ctx: Ctx, raw: dict[str, str], kind: str) -> Response:
    query, f, village_id, errors, villages, by_id = _ledger(ctx, raw)
    if errors:
        raise Refused(400, "console.filter.bad_export", problems="；".join(errors))
    rows = _rows(ctx, query, by_id, EXPORT_MAX_ROWS)
    place, place_code = _place(ctx, villages, village_id)
    start, end = (f.date_from.isoformat() if f.date_from else "…"), (f.date_to.isoformat() if f.date_to else "…")
    record(ctx.db, ctx.user, "ledger_export", "ledger", kind, note=urlencode(_export_params(f)))
    ctx.db.commit()
    if kind == "csv":
        body, media = ledger.to_csv(rows, ctx.lang), "text/csv; charset=utf-8"
    else:
        body = ledger.to_xlsx(rows, ctx.t("console.ledger.xlsx_title", place=place, start=start, end=end), ctx.lang)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ascii_name = f"ledger-{place_code}-{start}-{end}.{kind}".replace("…", "all")
    local_name = f"{place}{ctx.t('console.ledger.sheet')}-{start}-{end}.{kind}".replace("…", "")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(local_name)}"
    return Response(body, media_type=media, headers={"Content-Disposition": disposition, "Cache-Control": "no-store"})


async def _posted_filter(ctx: Ctx) -> dict[str, str]:
    form = await form_of(ctx)
    return {name: field(form, name, 40) for name in EXPORT_FIELDS}


# Exports are POSTs (with the CSRF token): each one writes an audit row, and no GET writes.
@router.post("/ledger.csv")
async def ledger_csv(ctx: CtxDep) -> Response:
    return _export(ctx, await _posted_filter(ctx), "csv")


@router.post("/ledger.xlsx")
async def ledger_xlsx(ctx: CtxDep) -> Response:
    return _export(ctx, await _posted_filter(ctx), "xlsx")
