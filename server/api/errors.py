"""Clear 4xx errors instead of tracebacks or 500s.

Every error body has the same shape, so the kiosk and people reading logs can
tell which field was wrong and why::

    {"detail": "请求内容有误 / invalid request", "errors": [{"field": "records[3].phone", "message": "…"}]}
"""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error with a status, a plain message and optional per-field problems."""

    def __init__(self, status: int, detail: str, errors: list[dict] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status, self.detail, self.errors, self.headers = status, detail, errors or [], headers


def error_body(detail: str, errors: list[dict] | None = None) -> dict:
    return {"detail": detail, "errors": errors or []}


def field_name(loc: tuple | list) -> str:
    """('body', 'records', 3, 'application', 'phone') → 'records[3].phone'."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "header", "path", "cookie"):
        source, parts = parts[0], parts[1:]
    else:
        source = ""
    out = ""
    for i, part in enumerate(parts):
        if isinstance(part, int):
            out += f"[{part}]"
        elif i > 0 and isinstance(parts[i - 1], int) and part in ("application", "queue_ticket", "rating", "complaint"):
            continue  # the discriminator tag pydantic inserts for tagged unions
        else:
            out += ("." if out else "") + str(part)
    if not out:
        return "body" if source == "body" else source or "request"
    return out


def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = []
    for e in exc.errors():
        if e.get("type") == "json_invalid":
            position = e.get("loc", ("body", "?"))[-1]
            errors.append({"field": "body", "message": f"不是合法的 JSON / invalid JSON at position {position}: "
                           f"{e.get('ctx', {}).get('error', '')}", "type": "json_invalid"})
            continue
        errors.append({"field": field_name(e.get("loc", ())), "message": e.get("msg", ""), "type": e.get("type", "")})
    return JSONResponse(status_code=422, content=error_body("请求内容有误 / invalid request", errors))


def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
    return JSONResponse(status_code=exc.status, content=error_body(exc.detail, exc.errors), headers=exc.headers)


BODY_PARSE_ERROR = "There was an error parsing the body"  # FastAPI's 400 for undecodable bodies


def _http(_request: Request, exc: HTTPException) -> JSONResponse:
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 400 and detail == BODY_PARSE_ERROR:
        # The same documented 422 as any other unreadable body (e.g. bytes that are not UTF-8).
        return JSONResponse(status_code=422, content=error_body("请求内容有误 / invalid request", [
            {"field": "body", "message": "不是合法的 JSON 或表单 / not valid JSON or form data",
             "type": "json_invalid"}]))
    return JSONResponse(status_code=exc.status_code, content=error_body(detail), headers=getattr(exc, "headers", None))


def _integrity(_request: Request, exc: IntegrityError) -> JSONResponse:
    log.warning("integrity error: %s", exc.orig)
    return JSONResponse(status_code=409, content=error_body("与已有数据冲突，请重试 / conflicts with existing data, retry"))


def _data(_request: Request, exc: DataError) -> JSONResponse:
    """A value the database refuses (too long, out of range): the input's fault, so a 4xx, never a 500.

    A safety net: the schemas (bianmin.domain.fields) should have stopped the value at the door.
    """
    log.warning("data error: %s", exc.orig)
    return JSONResponse(status_code=422, content=error_body(
        "数据超出允许范围 / a value is out of the range the server can store",
        [{"field": "body", "message": str(type(exc.orig).__name__), "type": "data_error"}]))


def _unavailable(_request: Request, exc: Exception) -> JSONResponse:
    log.warning("database unavailable: %s", exc)
    return JSONResponse(status_code=503, content=error_body("服务器忙，请稍后重试 / server busy, retry later"),
                        headers={"Retry-After": "5"})


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(HTTPException, _http)
    from starlette.exceptions import HTTPException as StarletteHTTPException

    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(IntegrityError, _integrity)
    app.add_exception_handler(DataError, _data)
    app.add_exception_handler(OperationalError, _unavailable)
    app.add_exception_handler(PoolTimeout, _unavailable)
    from server.services.ratelimit import LimiterUnavailable

    app.add_exception_handler(LimiterUnavailable, _unavailable)


class BodySizeLimit:
    """Refuse request bodies over the limit with 413, whether or not Content-Length is sent."""

    def __init__(self, app: ASGIApp, max_bytes: int, route_limits: dict[str, int] | None = None) -> None:
        """``route_limits``: regex over "METHOD /path" → bytes, for the few routes (uploads)
        whose own limit differs from ``max_bytes``; without it a route's larger limit could
        never be reached."""
        self.app, self.max_bytes = app, max_bytes
        self.route_limits = [(re.compile(pattern), limit) for pattern, limit in (route_limits or {}).items()]

    def limit_for(self, scope: Scope) -> int:
        target = f"{scope.get('method', '')} {scope.get('path', '')}"
        return next((limit for pattern, limit in self.route_limits if pattern.fullmatch(target)), self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.limit_for(scope)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > max_bytes
            except ValueError:
                too_big = False
            if too_big:
                await self._refuse(send, max_bytes)
                return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise HTTPException(413, self._message(max_bytes))
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except HTTPException as exc:
            if exc.status_code != 413 or started:
                raise
            await self._refuse(send, max_bytes)

    @staticmethod
    def _message(max_bytes: int) -> str:
        return f"请求内容过大（上限 {max_bytes} 字节）/ request body larger than {max_bytes} bytes"

    async def _refuse(self, send: Send, max_bytes: int) -> None:
        response = JSONResponse(status_code=413, content=error_body(self._message(max_bytes), [
            {"field": "body", "message": f"at most {max_bytes} bytes", "type": "too_large"}]))
        await response({"type": "http"}, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}
