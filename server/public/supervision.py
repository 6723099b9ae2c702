"""Supervisors' pages in the console: 差评 follow-ups and the complaint box.

Township staff see the follow-ups and complaints of their township's villages; a
county admin sees all. Village agents never see them: a complaint may be about
them, and a 差评 is answered by their supervisors. Opening follow-ups and
routing complaints is a sweep done on every visit (stateless, idempotent), so
ratings and complaints that arrived by kiosk sync need no hook in the sync code.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select

from bianmin.i18n import LANGUAGES, translate
from server.console import audit, web
from server.console.scope import COUNTY_ADMIN, TOWNSHIP_STAFF, require_role
from server.db import begin_write
from server.models import Application, Complaint, ComplaintCase, FollowUp, Rating, Township, Village
from server.public import service

router = APIRouter(include_in_schema=False)

_env = Environment(
    # The console's templates first: "base.html" must be the console's, not the public pages'.
    loader=ChoiceLoader([web._env.loader, FileSystemLoader(Path(__file__).with_name("templates"))]),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _render(ctx: web.Ctx, template: str, status: int = 200, **data: Any) -> HTMLResponse:
    lang = ctx.lang
    msg_key = ctx.request.query_params.get("msg", "")
    data.setdefault("msg", translate("followup.msg." + msg_key, lang) if msg_key.isidentifier() else "")
    data.setdefault("error", "")
    body = _env.get_template(template).render(
        t=lambda key, **fmt: translate(key, lang, **fmt), lang=lang, base=web.PREFIX,
        static_url=web.STATIC_PREFIX, user=ctx.user, csrf=ctx.csrf, **data,
    )
    response = HTMLResponse(body, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    if ctx.request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(web.LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def _township_ids(ctx: web.Ctx) -> list[int] | None:
    """None = every township (county admin)."""
    require_role(ctx, TOWNSHIP_STAFF, COUNTY_ADMIN)
    if ctx.user.role == COUNTY_ADMIN:
        return None
    return list(ctx.db.execute(select(Township.id).where(Township.code == ctx.user.scope_code)).scalars())


def _sweep(ctx: web.Ctx) -> None:
    begin_write(ctx.db)
    service.open_followups(ctx.db)
    service.open_complaint_cases(ctx.db)
    ctx.db.commit()


def _followup_rows(ctx: web.Ctx, township_ids: list[int] | None) -> list[dict]:
    stmt = (
        select(FollowUp, Rating, Village)
        .join(Rating, Rating.id == FollowUp.rating_id)
        .join(Village, Village.id == FollowUp.village_id)
        .order_by(FollowUp.answered_at.is_not(None), FollowUp.deadline, FollowUp.id)
    )
    if township_ids is not None:
        stmt = stmt.where(Village.township_id.in_(township_ids))
    rows = []
    today = date.today()
    for follow, rating, village in ctx.db.execute(stmt).all():
        application = None
        if rating.application_uuid:
            application = ctx.db.execute(
                select(Application).where(Application.uuid == rating.application_uuid)
            ).scalar_one_or_none()
        rows.append({
            "f": follow, "r": rating, "village": village.name,
            "item": application.item_name if application else "",
            "app_id": application.id if application else None,
            "overdue": follow.answered_at is None and today > follow.deadline,
        })
    return rows


@router.get("/console/followups")
def followups_page(ctx: web.Ctx = Depends(web.current)) -> Response:  # noqa: B008 - FastAPI dependency
    township_ids = _township_ids(ctx)
    _sweep(ctx)
    return _render(ctx, "followups.html", rows=_followup_rows(ctx, township_ids), nav="followups")


@router.post("/console/followups/{follow_id}/answer")
async def answer(follow_id: str, ctx: web.Ctx = Depends(web.current)) -> Response:  # noqa: B008
    form = await web.form_of(ctx)
    township_ids = _township_ids(ctx)
    follow = ctx.db.get(FollowUp, int(follow_id)) if follow_id.isdigit() else None
    village = ctx.db.get(Village, follow.village_id) if follow else None
    if follow is None or (township_ids is not None and village.township_id not in township_ids):
        raise web.Refused(404, "console.error.no_page")
    begin_write(ctx.db)
    try:
        service.answer_followup(ctx.db, follow, web.field(form, "answer", 2000), ctx.user.display_name)
    except service.RatingError as exc:
        ctx.db.rollback()
        return _render(ctx, "followups.html", status=400, rows=_followup_rows(ctx, township_ids),
                       nav="followups", error=translate(exc.key, ctx.lang))
    audit.record(ctx.db, ctx.user, "followup_answer", "rating", str(follow.rating_id),
                 village_code=village.code, note=follow.answer)
    ctx.db.commit()
    return web.redirect("/followups?msg=answered")


def _complaint_rows(ctx: web.Ctx, township_ids: list[int] | None) -> list[dict]:
    stmt = (
        select(ComplaintCase, Complaint, Village)
        .join(Complaint, Complaint.id == ComplaintCase.complaint_id)
        .join(Village, Village.id == Complaint.village_id)
        .order_by(ComplaintCase.replied_at.is_not(None), ComplaintCase.deadline, ComplaintCase.id)
    )
    if township_ids is not None:
        stmt = stmt.where(ComplaintCase.township_id.in_(township_ids))
    today = date.today()
    return [
        {"c": case, "k": complaint, "village": village.name,
         "overdue": case.replied_at is None and today > case.deadline}
        for case, complaint, village in ctx.db.execute(stmt).all()
    ]


@router.get("/console/complaints")
def complaints_page(ctx: web.Ctx = Depends(web.current)) -> Response:  # noqa: B008
    township_ids = _township_ids(ctx)
    _sweep(ctx)
    return _render(ctx, "complaints.html", rows=_complaint_rows(ctx, township_ids), nav="complaints")


@router.post("/console/complaints/{case_id}/reply")
async def reply(case_id: str, ctx: web.Ctx = Depends(web.current)) -> Response:  # noqa: B008
    form = await web.form_of(ctx)
    township_ids = _township_ids(ctx)
    case = ctx.db.get(ComplaintCase, int(case_id)) if case_id.isdigit() else None
    if case is None or (township_ids is not None and case.township_id not in township_ids):
        raise web.Refused(404, "console.error.no_page")
    begin_write(ctx.db)
    try:
        service.reply_complaint(ctx.db, case, web.field(form, "reply", 2000), ctx.user.display_name)
    except service.RatingError as exc:
        ctx.db.rollback()
        return _render(ctx, "complaints.html", status=400, rows=_complaint_rows(ctx, township_ids),
                       nav="complaints", error=translate(exc.key, ctx.lang))
    audit.record(ctx.db, ctx.user, "complaint_reply", "complaint", str(case.complaint_id), note=case.reply)
    ctx.db.commit()
    return web.redirect("/complaints?msg=replied")


def complaint_counts_for(ctx: web.Ctx, start: date, end: date) -> dict[str, int] | None:
    """The month's complaints and 差评 in the user's scope, for the monthly report; None for agents."""
    if ctx.user.role not in (TOWNSHIP_STAFF, COUNTY_ADMIN):
        return None
    township_ids = _township_ids(ctx)
    counts = service.complaint_counts(ctx.db, township_ids, start, end)
    counts["bad_ratings"] = service.bad_rating_count(ctx.db, township_ids, start, end)
    return counts
