"""The agent console (代办工作台): server-rendered pages under /console.

`mount(app)` adds the routes, the static stylesheet and the error handlers; the
server's app factory calls it. Pages need no JavaScript.
"""

from __future__ import annotations

import inspect
import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.console import inputs, uploads, web

log = logging.getLogger(__name__)


async def _maybe_await(result):  # noqa: ANN001, ANN202 - handlers may be sync or async
    return await result if inspect.isawaitable(result) else result


def _console_page_for(app: FastAPI, exc_class: type[Exception], status: int, key: str) -> None:
    previous = app.exception_handlers.get(exc_class)

    async def handler(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith(web.PREFIX + "/") and not request.url.path.startswith(web.STATIC_PREFIX):
            log.warning("console %s: %s", exc_class.__name__, exc)
            db = web.open_db(request)
            if db is not None:
                db.rollback()
            return web.error_page(request, status, key)
        if previous is None:
            raise exc
        return await _maybe_await(previous(request, exc))

    app.add_exception_handler(exc_class, handler)


def mount(app: FastAPI) -> None:
    from server.console import (
        routes_admin,
        routes_applications,
        routes_audit,
        routes_auth,
        routes_catalogue,
        routes_dashboard,
        routes_ledger,
        routes_reports,
        routes_supervision,
        routes_sync,
    )

    for module in (routes_auth, routes_dashboard, routes_applications, routes_ledger, routes_reports, routes_audit,
                   routes_supervision, routes_admin, routes_catalogue, routes_sync):
        app.include_router(module.router, prefix=web.PREFIX, include_in_schema=False)
    # Outside the server's body-size limit, so a too-large upload gets a console page.
    app.add_middleware(uploads.TooLargePage, default_max=app.state.settings.max_body_bytes)
    app.mount(web.STATIC_PREFIX, StaticFiles(directory=web.HERE / "static"), name="console-static")

    @app.get("/console", include_in_schema=False)
    def _console_root() -> Response:
        return RedirectResponse(web.PREFIX + "/", status_code=307)

    @app.exception_handler(web.SignInRequired)
    async def _sign_in(request: Request, exc: web.SignInRequired) -> Response:
        return RedirectResponse(f"{web.PREFIX}/login?next={quote(exc.next_url)}", status_code=303)

    @app.exception_handler(web.MustChangePassword)
    async def _must_change(request: Request, exc: web.MustChangePassword) -> Response:
        return RedirectResponse(f"{web.PREFIX}/password", status_code=303)

    @app.exception_handler(web.Refused)
    async def _refused(request: Request, exc: web.Refused) -> Response:
        return web.error_page(request, exc.status, exc.key, **exc.fmt)

    @app.exception_handler(inputs.BadInput)
    async def _bad_input(request: Request, exc: inputs.BadInput) -> Response:
        return web.error_page(request, 400, exc.key, **exc.fmt)

    previous_validation = app.exception_handlers.get(RequestValidationError)
    previous_http = app.exception_handlers.get(StarletteHTTPException)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith(web.PREFIX):
            return web.error_page(request, 400, "console.error.bad_request_detail")
        if previous_validation is not None:
            return await _maybe_await(previous_validation(request, exc))
        from fastapi.exception_handlers import request_validation_exception_handler

        return await request_validation_exception_handler(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith(web.PREFIX + "/") and exc.status_code in (404, 405):
            return web.error_page(request, 404, "console.error.no_page")
        if previous_http is not None:
            return await _maybe_await(previous_http(request, exc))
        from fastapi.exception_handlers import http_exception_handler

        return await http_exception_handler(request, exc)

    # Database trouble on a console page: a console page in Chinese, not the API's JSON.
    for exc_class, status, key in ((IntegrityError, 409, "console.error.conflict"),
                                   (OperationalError, 503, "console.error.busy"),
                                   (PoolTimeout, 503, "console.error.busy")):
        _console_page_for(app, exc_class, status, key)
