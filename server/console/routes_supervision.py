"""Supervisors' pages: 差评 follow-ups (差评回访) and the complaint box (投诉处理).

Township staff see their township's villages, a county admin sees all; village
agents never see them (a complaint may be about them, and a 差评 is answered by
their supervisors). The lists are read-only: a 差评 or complaint that arrived by
kiosk sync and has no follow-up row yet is listed with the deadline it will get,
and its row is opened by the POST that answers it — no GET writes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import select

from server.console import audit, deadlines
from server.console.scope import COUNTY_ADMIN, TOWNSHIP_STAFF, require_role
from server.console.web import Ctx, CtxDep, Refused, field, form_of, page, redirect, small_int
from server.db import begin_write
from server.models import Application, Complaint, ComplaintCase, FollowUp, Rating, Township, Village
from server.public import service

router = APIRouter()
MAX_LISTED = 500  # newest first beyond the open ones; older answered ones are in the audit log


def _township_ids(ctx: Ctx) -> list[int] | None:
    """None = every township (county admin)."""
    require_role(ctx, TOWNSHIP_STAFF, COUNTY_ADMIN)
    if ctx.user.role == COUNTY_ADMIN:
        return None
    return list(ctx.db.execute(select(Township.id).where(Township.code == ctx.user.scope_code)).scalars())


# ---- 差评回访 --------------------------------------------------------------------------------

def _followup_rows(ctx: Ctx, township_ids: list[int] | None) -> list[dict]:
    stmt = (
        select(Rating, FollowUp, Village)
        .outerjoin(FollowUp, FollowUp.rating_id == Rating.id)
        .join(Village, Village.id == Rating.village_id)
        .where(Rating.level.in_(service.BAD_LEVELS))
        .order_by(FollowUp.answered_at.is_not(None), Rating.received_at, Rating.id)
        .limit(MAX_LISTED)
    )
    if township_ids is not None:
        stmt = stmt.where(Village.township_id.in_(township_ids))
    found = ctx.db.execute(stmt).all()
    uuids = [r.application_uuid for r, _f, _v in found if r.application_uuid]
    apps = {a.uuid: a for a in ctx.db.scalars(select(Application).where(Application.uuid.in_(uuids)))} if uuids else {}
    today = deadlines.today()
    rows = []
    for rating, follow, village in found:
        deadline = follow.deadline if follow else service.followup_deadline_for(ctx.db, rating.received_at)
        application = apps.get(rating.application_uuid or "")
        answered_at = follow.answered_at if follow else None
        rows.append({
            "id": rating.id, "r": rating, "village": village.name, "deadline": deadline,
            "answered_at": answered_at, "answered_by": follow.answered_by if follow else "",
            "answer": follow.answer if follow else "",
            "item": application.item_name if application else "", "app_id": application.id if application else None,
            "overdue": answered_at is None and today > deadline,
        })
    return rows


@router.get("/followups")
def followups_page(ctx: CtxDep) -> Response:
    return page(ctx, "followups.html", rows=_followup_rows(ctx, _township_ids(ctx)), nav="followups",
                msg=ctx.t("followup.msg.answered") if ctx.request.query_params.get("msg") == "answered" else "")


@router.post("/followups/{rating_id}/answer")
async def answer(rating_id: str, ctx: CtxDep) -> Response:
    """Answer the 差评 with this rating id (opening its follow-up row first if sync brought it)."""
    form = await form_of(ctx)
    township_ids = _township_ids(ctx)
    text = field(form, "answer", 2000, multiline=True)
    number = small_int(rating_id)
    rating = ctx.db.get(Rating, number) if number else None
    village = ctx.db.get(Village, rating.village_id) if rating else None
    if (rating is None or rating.level not in service.BAD_LEVELS
            or (township_ids is not None and village.township_id not in township_ids)):
        raise Refused(404, "console.error.no_page")
    begin_write(ctx.db)
    service.open_followups(ctx.db)
    follow = ctx.db.scalar(select(FollowUp).where(FollowUp.rating_id == rating.id).with_for_update())
    try:
        service.answer_followup(ctx.db, follow, text, ctx.user.display_name)
    except service.RatingError as exc:
        ctx.db.rollback()
        return page(ctx, "followups.html", status=400, rows=_followup_rows(ctx, township_ids), nav="followups",
                    error=ctx.t(exc.key))
    audit.record(ctx.db, ctx.user, "followup_answer", "rating", str(rating.id), village_code=village.code, note=follow.answer)
    ctx.db.commit()
    return redirect(f"/followups?msg=answered#followup-{rating.id}")


# ---- 投诉处理 --------------------------------------------------------------------------------

def _complaint_rows(ctx: Ctx, township_ids: list[int] | None) -> list[dict]:
    stmt = (
        select(Complaint, ComplaintCase, Village)
        .outerjoin(ComplaintCase, ComplaintCase.complaint_id == Complaint.id)
        .join(Village, Village.id == Complaint.village_id)
        .order_by(ComplaintCase.replied_at.is_not(None), Complaint.received_at, Complaint.id)
        .limit(MAX_LISTED)
    )
    if township_ids is not None:
        stmt = stmt.where(Village.township_id.in_(township_ids))
    today = deadlines.today()
    rows = []
    for complaint, case, village in ctx.db.execute(stmt).all():
        deadline = case.deadline if case else service.followup_deadline_for(ctx.db, complaint.received_at)
        replied_at = case.replied_at if case else None
        rows.append({"id": complaint.id, "k": complaint, "village": village.name, "deadline": deadline,
                     "replied_at": replied_at, "replied_by": case.replied_by if case else "",
                     "reply": case.reply if case else "", "overdue": replied_at is None and today > deadline})
    return rows


@router.get("/complaints")
def complaints_page(ctx: CtxDep) -> Response:
    return page(ctx, "complaints.html", rows=_complaint_rows(ctx, _township_ids(ctx)), nav="complaints",
                msg=ctx.t("followup.msg.replied") if ctx.request.query_params.get("msg") == "replied" else "")


@router.post("/complaints/{complaint_id}/reply")
async def reply(complaint_id: str, ctx: CtxDep) -> Response:
    """Reply to the complaint with this id (routing it to its township first if sync brought it)."""
    form = await form_of(ctx)
    township_ids = _township_ids(ctx)
    text = field(form, "reply", 2000, multiline=True)
    number = small_int(complaint_id)
    complaint = ctx.db.get(Complaint, number) if number else None
    village = ctx.db.get(Village, complaint.village_id) if complaint else None
    if complaint is None or (township_ids is not None and village.township_id not in township_ids):
        raise Refused(404, "console.error.no_page")
    begin_write(ctx.db)
    service.open_complaint_cases(ctx.db)
    case = ctx.db.scalar(select(ComplaintCase).where(ComplaintCase.complaint_id == complaint.id).with_for_update())
    try:
        service.reply_complaint(ctx.db, case, text, ctx.user.display_name)
    except service.RatingError as exc:
        ctx.db.rollback()
        return page(ctx, "complaints.html", status=400, rows=_complaint_rows(ctx, township_ids), nav="complaints",
                    error=ctx.t(exc.key))
    audit.record(ctx.db, ctx.user, "complaint_reply", "complaint", str(complaint.id), village_code=village.code,
                 note=case.reply)
    ctx.db.commit()
    return redirect(f"/complaints?msg=replied#complaint-{complaint.id}")


# ---- figures for the monthly report ----------------------------------------------------------

def complaint_counts_for(ctx: Ctx, start: date, end: date) -> dict[str, int] | None:
    """The month's complaints (total, answered, overdue) and 差评 in the user's scope; None for agents.

    Counted from the complaints themselves, so one that has no case row yet still counts.
    """
    if ctx.user.role not in (TOWNSHIP_STAFF, COUNTY_ADMIN):
        return None
    township_ids = _township_ids(ctx)
    start_dt = datetime(start.year, start.month, start.day, tzinfo=UTC)
    end_dt = datetime(end.year, end.month, end.day, tzinfo=UTC)
    stmt = (select(Complaint.received_at, ComplaintCase.deadline, ComplaintCase.replied_at)
            .outerjoin(ComplaintCase, ComplaintCase.complaint_id == Complaint.id)
            .join(Village, Village.id == Complaint.village_id)
            .where(Complaint.received_at >= start_dt, Complaint.received_at < end_dt))
    if township_ids is not None:
        stmt = stmt.where(Village.township_id.in_(township_ids))
    today = datetime.now(UTC).date()
    total = answered = late = 0
    for received_at, deadline, replied_at in ctx.db.execute(stmt):
        total += 1
        answered += replied_at is not None
        due = deadline or service.followup_deadline_for(ctx.db, received_at)
        late += (replied_at.date() if replied_at else today) > due
    return {"total": total, "answered": answered, "overdue": late,
            "bad_ratings": service.bad_rating_count(ctx.db, township_ids, start, end)}
