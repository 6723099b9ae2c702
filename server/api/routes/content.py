"""Catalogue, notices and roster downloads with ETag / If-None-Match → 304."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response

from server.api.deps import DeviceDep, SessionDep, device_village
from server.api.errors import ApiError
from server.api.schemas import (
    ERROR_RESPONSES,
    CatalogueDocument,
    ErrorBody,
    NoticesDocument,
    RosterDocument,
)
from server.services.content import (
    canonical_json,
    etag_of,
    latest_catalogue,
    notices_document,
    roster_document,
)

router = APIRouter(tags=["content"])

IfNoneMatch = Annotated[str | None, Header(max_length=1000)]
NOT_MODIFIED = {304: {"description": "unchanged since the ETag in If-None-Match"}}


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags


def _document(body: dict, etag: str, if_none_match: str | None, extra: dict[str, str] | None = None) -> Response:
    headers = {"ETag": etag, "Cache-Control": "no-cache", **(extra or {})}
    if _matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    return Response(content=canonical_json(body), media_type="application/json", headers=headers)


@router.get("/catalogue", response_model=CatalogueDocument,
            responses={**ERROR_RESPONSES, **NOT_MODIFIED, 404: {"model": ErrorBody}})
def catalogue(device: DeviceDep, session: SessionDep, if_none_match: IfNoneMatch = None) -> Response:
    row = latest_catalogue(session)
    if row is None:
        raise ApiError(404, "尚未发布事项目录 / no catalogue published yet")
    body = {"version": row.version, "published_at": row.published_at.isoformat(), "catalogue": row.body}
    return _document(body, row.etag, if_none_match, {"X-Catalogue-Version": str(row.version)})


@router.get("/notices", response_model=NoticesDocument, responses={**ERROR_RESPONSES, **NOT_MODIFIED})
def notices(device: DeviceDep, session: SessionDep, if_none_match: IfNoneMatch = None) -> Response:
    body = notices_document(session, device.village_id)
    return _document(body, etag_of(body), if_none_match)


@router.get("/roster", response_model=RosterDocument, responses={**ERROR_RESPONSES, **NOT_MODIFIED})
def roster(device: DeviceDep, session: SessionDep, if_none_match: IfNoneMatch = None) -> Response:
    body = roster_document(session, device_village(session, device))
    return _document(body, etag_of(body), if_none_match)


