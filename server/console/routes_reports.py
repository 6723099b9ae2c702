"""The monthly report (考核): per item, village and agent, with complaints and 差评."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import select

from server.console import deadlines, reports
from server.console.cases import scope, scope_ids
from server.console.process import working_calendar
from server.console.web import CtxDep, page
from server.models import Agent, Application
from server.models.case_queries import local_start, ratings_for

router = APIRouter()


@router.get("/reports")
def report_page(ctx: CtxDep, month: str = "") -> Response:
    errors: list[str] = []
    today = deadlines.today()
    year, mon = today.year, today.month
    if month:
        try:
            year, mon = (int(p) for p in month.split("-"))
            if not 2000 <= year < 2200:  # bianmin.domain.fields' date range
                raise ValueError(month)
            date(year, mon, 1)
        except ValueError:
            errors.append(ctx.t("console.reports.bad_month", value=month[:20]))
            year, mon = today.year, today.month
    start, end = reports.month_bounds(year, mon)
    villages, by_id = scope(ctx)
    ids = scope_ids(ctx, by_id)
    names = {v.id: v.name for v in villages}
    agents = dict(ctx.db.execute(select(Agent.id, Agent.name)).all())
    query = (select(Application.uuid, Application.item_name, Application.village_id, Application.assigned_agent_id,
                    Application.created_at, Application.accepted_on, Application.due_date, Application.completed_at)
             .where(Application.created_at >= local_start(start, deadlines.LOCAL_TZ),
                    Application.created_at < local_start(end, deadlines.LOCAL_TZ)))
    if ids is not None:
        query = query.where(Application.village_id.in_(ids or [-1]))
    apps = ctx.db.execute(query).all()
    ratings = ratings_for(ctx.db, [a.uuid for a in apps])
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
    from server.console.routes_supervision import complaint_counts_for

    return page(ctx, "reports.html", nav="reports", sections=sections, overall=reports.total(facts, calendar),
                month=f"{year:04d}-{mon:02d}", month_label=ctx.t("console.reports.month_label", year=year, month=mon),
                filter_errors=errors, complaints=complaint_counts_for(ctx, start, end))
