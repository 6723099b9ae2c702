"""The audit log (操作日志): who did what, newest first, within the user's villages."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import select

from server.console import deadlines
from server.console.cases import scope
from server.console.scope import COUNTY_ADMIN
from server.console.web import CtxDep, page, small_int
from server.models.console import AuditEntry

router = APIRouter()
PAGE_SIZE = 50


@router.get("/audit")
def audit_page(ctx: CtxDep, application: str = "", page_no: str = "1") -> Response:
    villages, _by_id = scope(ctx)
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
