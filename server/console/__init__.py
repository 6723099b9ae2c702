"""The agent console (代办工作台): server-rendered pages under /console.

`mount(app)` adds the routes, the static stylesheet and the error handlers; the
server's app factory calls it. Pages need no JavaScript.
"""

from __future__ import annotations

import inspect
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.console import web


async def _maybe_await(result):  # noqa: ANN001, ANN202 - handlers may be sync or async
    return await result if inspect.isawaitable(result) else result


def mount(app: FastAPI) -> None:
    from server.console import routes_admin, routes_auth, routes_cases, routes_catalogue

    for module in (routes_auth, routes_cases, routes_admin, routes_catalogue):
        app.include_router(module.router, prefix=web.PREFIX, include_in_schema=False)
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
