"""The /api/v1 router: every route module mounted in one place."""

from __future__ import annotations

from fastapi import APIRouter

from server.api.routes import content, enrol, sync, track

API_PREFIX = "/api/v1"

api_router = APIRouter()
api_router.include_router(enrol.router)
api_router.include_router(sync.router)
api_router.include_router(content.router)
api_router.include_router(track.router)
