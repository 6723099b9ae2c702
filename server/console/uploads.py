"""Upload size limits for the console's file forms, and a readable page when one is exceeded.

Why here: the server refuses any request body over its global limit (2 MiB by
default) before a route runs, so a route's own, larger limit could never be
reached and a clerk's 3 MB phone photo got a raw JSON 413. The global middleware
takes `BODY_LIMITS` (server.main), and `TooLargePage` — mounted outside it — answers
a console form that announces a body over its limit with a console page instead.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

MIB = 1024 * 1024
PHOTO_MAX_BYTES = 8 * MIB  # a phone's photo; it is shrunk to 360×480 on arrival
CATALOGUE_MAX_BYTES = 5 * MIB  # the county's workbook is ~100 KB; what it unpacks to is limited separately
FORM_OVERHEAD = 64 * 1024  # the CSRF token, the note and the multipart framing around the file

# regex over "METHOD /path" → request-body limit (file limit + form overhead).
BODY_LIMITS: dict[str, int] = {
    r"POST /console/people/[^/]+/photo": PHOTO_MAX_BYTES + FORM_OVERHEAD,
    r"POST /console/catalogue/import": CATALOGUE_MAX_BYTES + FORM_OVERHEAD,
}
# The message naming each limit, by the same patterns.
_MESSAGES = {
    r"POST /console/people/[^/]+/photo": ("console.people.photo_too_big", PHOTO_MAX_BYTES),
    r"POST /console/catalogue/import": ("console.catalogue.file_too_big", CATALOGUE_MAX_BYTES),
}


def limit_for(method: str, path: str, default: int) -> tuple[int, str, int]:
    """(body limit, message key, limit named in the message) for a console request."""
    target = f"{method} {path}"
    for pattern, limit in BODY_LIMITS.items():
        if re.fullmatch(pattern, target):
            key, shown = _MESSAGES[pattern]
            return limit, key, shown
    return default, "console.error.too_large", default


class TooLargePage:
    """For /console requests whose Content-Length is over their limit: a 413 console page."""

    def __init__(self, app: ASGIApp, default_max: int) -> None:
        self.app, self.default_max = app, default_max

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith("/console/"):
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        limit, key, shown = limit_for(scope.get("method", ""), scope["path"], self.default_max)
        if not (length.isdigit() and int(length) > limit):
            await self.app(scope, receive, send)
            return
        from server.console import web

        request = Request(scope)
        try:
            response = web.error_page(request, 413, key, mb=max(1, round(shown / MIB)))
        finally:
            db = web.open_db(request)
            if db is not None:
                db.close()
        await response(scope, receive, send)
