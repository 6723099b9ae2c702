"""Sync: push a batch of kiosk records, pull status changes since a cursor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from bianmin.domain.wire import HealthReport, PushBatch, PushResponse, StatusPage
from server.api.deps import BearerDep, DeviceDep, SessionDep, authenticate, device_village
from server.api.errors import ApiError
from server.api.schemas import ERROR_RESPONSES, ErrorBody
from server.db import begin_write
from server.services.sync import (
    BadCursor,
    VillageMismatch,
    decode_cursor,
    ingest,
    record_health,
    status_changes,
)

router = APIRouter(prefix="/sync", tags=["sync"])


@router.post(
    "/push", response_model=PushResponse,
    responses={**ERROR_RESPONSES, 403: {"model": ErrorBody, "description": "a record names another village; "
                                         "nothing in the batch was stored"},
               413: {"model": ErrorBody, "description": "body too large"}},
)
def push(batch: PushBatch, request: Request, device: DeviceDep, session: SessionDep) -> PushResponse:
    """Upsert records by UUID; idempotent. One result per record, in request order."""
    begin_write(session)
    village = device_village(session, device)
    try:
        results = ingest(session, device, village, list(batch.records), request.app.state.fernet)
    except VillageMismatch as exc:
        session.rollback()
        raise ApiError(403, "记录不属于本终端所属的村 / records for another village",
                       [{"field": p.field, "message": p.message, "type": "forbidden"} for p in exc.problems]) from exc
    session.commit()
    return PushResponse(results=results)


@router.post("/health", status_code=204, responses={**ERROR_RESPONSES})
def report_health(report: HealthReport, device: DeviceDep, session: SessionDep) -> Response:
    """The kiosk's own account of itself: pending and quarantined records, versions (console health page)."""
    begin_write(session)
    record_health(session, device, report)
    session.commit()
    return Response(status_code=204)


@router.get("/status", response_model=StatusPage, responses={**ERROR_RESPONSES})
async def pull_status(
    request: Request, creds: BearerDep,
    since: Annotated[str, Query(max_length=64, description="opaque cursor from the previous page; empty = start")] = "",
    limit: Annotated[int | None, Query(ge=1, le=5000)] = None,
) -> Response:
    """Status changes of this kiosk's village after ``since``, oldest first.

    The hottest endpoint (every kiosk polls it): authentication, query and JSON
    encoding run in one thread-pool call and the page is serialised once.
    """
    return await run_in_threadpool(_pull_status, request, creds, since, limit)


def _pull_status(request: Request, creds, since: str, limit: int | None) -> Response:  # noqa: ANN001
    settings = request.app.state.settings
    with request.app.state.sessions() as session:
        device = authenticate(request, session, settings, creds)
        page = _status_page(session, device, settings, since, limit)
    return Response(content=page.model_dump_json(), media_type="application/json")


def _status_page(session, device, settings, since: str, limit: int | None) -> StatusPage:  # noqa: ANN001
    try:
        after = decode_cursor(since)
    except BadCursor as exc:
        raise ApiError(422, "游标无效 / invalid cursor", [{"field": "since", "message": "not a cursor from this server",
                                                        "type": "invalid"}]) from exc
    page_size = min(limit or settings.status_page_size, settings.status_page_size)
    changes, cursor, more = status_changes(session, device.village_id, after, page_size,
                                           settings.status_settle_seconds)
    return StatusPage(changes=changes, cursor=cursor, more=more)
