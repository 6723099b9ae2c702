"""The /api/v1 router: every route module mounted in one place."""

from __future__ import annotations

from fastapi import APIRouter

from server.api.routes import content, enrol, sync, track
from server.api.schemas import UNAVAILABLE

API_PREFIX = "/api/v1"

# Any route may find the database (or the limiter's Redis) unavailable: documented once here.
api_router = APIRouter(responses=UNAVAILABLE)
api_router.include_router(enrol.router)
api_router.include_router(sync.router)
api_router.include_router(content.router)
api_router.include_router(track.router)
