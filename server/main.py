"""The FastAPI application factory.

``create_app(settings)`` builds everything from the settings, so tests, the CLI
and each uvicorn worker (``server.main:app_from_env``, a factory) make identical,
independent apps: all shared state lives in the database. The schema is not
created here; ``bianmin server`` runs the Alembic migrations first.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from server.api import errors
from server.api.deps import SessionCloser
from server.api.main import API_PREFIX, api_router
from server.core.config import Settings
from server.db import make_engine, make_sessionmaker
from server.services.ratelimit import make_limiter

# Other features add their routers (console pages, tracking pages) here.
EXTRA_ROUTERS: list[str] = [
    "server.public.routes:router",  # /t/<token> tracking pages, short-code lookup, ratings
]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    engine = make_engine(settings.db_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):  # noqa: ANN202
        yield
        engine.dispose()

    app = FastAPI(
        title="便民 Bianmin server",
        version="1",
        description="Sync API for village service-room kiosks (see docs/sync.md).",
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_sessionmaker(engine)
    app.state.fernet = settings.id_cipher  # the ID-number key, read once (server.security.decrypt_id_number)
    app.state.limiter = make_limiter(settings.redis_url, engine)  # shared by every worker and host
    errors.install(app)
    app.add_middleware(SessionCloser)  # closes the one per-request session (server.api.deps)
    from server.console.uploads import BODY_LIMITS as CONSOLE_UPLOAD_LIMITS

    app.add_middleware(errors.BodySizeLimit, max_bytes=settings.max_body_bytes,
                       route_limits=CONSOLE_UPLOAD_LIMITS)
    app.include_router(api_router, prefix=API_PREFIX)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    from server.console import mount as mount_console

    mount_console(app)  # agent console pages under /console (feat/console)
    for dotted in EXTRA_ROUTERS:
        module, _, attr = dotted.partition(":")
        import importlib

        app.include_router(getattr(importlib.import_module(module), attr or "router"))
    return app


def app_from_env() -> FastAPI:
    """uvicorn factory for worker processes: settings come from BIANMIN_* variables."""
    return create_app(Settings.from_env())
