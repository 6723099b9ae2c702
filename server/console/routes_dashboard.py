"""The dashboard (工作台): open, new, due-soon and overdue cases per village."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import func, select

from bianmin.domain.lifecycle import Status
from server.console import deadlines
from server.console.cases import scope, scope_ids
from server.console.process import working_calendar
from server.console.web import CtxDep, page
from server.models import Application
from server.models.case_queries import OPEN_VALUES, local_start

router = APIRouter()


def _restrict(query, village_ids):  # noqa: ANN001, ANN202
    return query if village_ids is None else query.where(Application.village_id.in_(village_ids or [-1]))


@router.get("/")
def dashboard(ctx: CtxDep) -> Response:
    villages, by_id = scope(ctx)
    ids = scope_ids(ctx, by_id)
    calendar = working_calendar(ctx.db)
    today = deadlines.today()
    soon = calendar.add_working_days(today, deadlines.DUE_SOON_DAYS)
    month_start = local_start(today.replace(day=1), deadlines.LOCAL_TZ)
    stats = {v.id: {"code": v.code, "name": v.name, "open": 0, "new": 0, "due_soon": 0, "overdue": 0, "done_month": 0} for v in villages}
    q = _restrict(select(Application.village_id, Application.status, Application.due_date, func.count())
                  .where(Application.status.in_(OPEN_VALUES)), ids)
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
    q = _restrict(select(Application.village_id, func.count()).where(Application.completed_at >= month_start), ids)
    for village_id, n in ctx.db.execute(q.group_by(Application.village_id)):
        if village_id in stats:
            stats[village_id]["done_month"] = n
    per_village = list(stats.values())
    totals = {k: sum(r[k] for r in per_village) for k in ("open", "new", "due_soon", "overdue")}
    per_village.sort(key=lambda r: (-r["overdue"], -r["open"], r["code"]))
    return page(ctx, "dashboard.html", nav="dashboard", per_village=per_village, totals=totals, soon_date=soon.isoformat())
