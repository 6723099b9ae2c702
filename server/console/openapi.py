"""The console's pages in the OpenAPI document (tag "console").

Why: schemathesis (tests/server/test_openapi_fuzz.py) can only fuzz what the document
describes, and issue 14 asks that every status each route can answer be documented.
The console's routes read their forms themselves (`web.form_of`, after the CSRF check),
so FastAPI cannot see the fields: they are declared here, with the same bounds the
handlers enforce (`web.field` refuses longer text and control characters with a 400
page). Every answer is an HTML page (`text/html`) or a redirect, except the exports.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from bianmin.domain.lifecycle import Status
from server.console import uploads
from server.models.console import ROLES

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
HTML = "text/html"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What `web.field` lets through (bianmin.domain.fields.clean_line): a line has no control
# characters; a paragraph may also hold tabs and line breaks (CR only before LF).
LINE = r"[^\x00-\x1f\x7f]"
PARAGRAPH = r"(?:[^\x00-\x08\x0b-\x1f\x7f]|\r\n)"
NOT_BLANK = r"[^\s\x00-\x1f\x7f]"  # the handler strips the value; a required one must keep something
CSRF = {"type": "string", "pattern": "^[0-9a-f]{64}$",
        "description": "The form's CSRF token (the hidden `csrf` field of the page the form is on)."}
RECORD_ID = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}


def text(max_length: int, min_length: int = 0, multiline: bool = False, **extra: Any) -> dict[str, Any]:
    char = PARAGRAPH if multiline else LINE
    pattern = f"^{char}*{NOT_BLANK}{char}*$" if min_length else f"^{char}*$"
    return {"type": "string", "maxLength": max_length, "minLength": min_length, "pattern": pattern, **extra}


DATE = {"type": "string", "format": "date", "pattern": r"^2[01]\d\d-", "description": "ISO date, years 2000–2199"}
OPTIONAL_DATE = {"anyOf": [{"type": "string", "maxLength": 0}, DATE]}
STATUS_FILTER = {"type": "string", "enum": ["", "all", *(s.value for s in Status)],
                 "description": '"" = open cases, "all" = every status, or one status'}
FILTER = {"date_from": OPTIONAL_DATE, "date_to": OPTIONAL_DATE, "status": STATUS_FILTER,
          "village": text(15, description="A village code in the user's scope"), "item": text(40)}

# (method, path) → (media type, fields, required fields). Optional fields are those the
# handler treats as empty when absent.
FORMS: dict[tuple[str, str], tuple[str, dict[str, Any], list[str]]] = {
    ("post", "/console/login"): (FORM, {"username": text(64, 1), "password": {"type": "string", "minLength": 1, "maxLength": 200},
                                        "next": {"type": "string", "maxLength": 499}, "csrf": CSRF},
                                 ["username", "password", "csrf"]),
    ("post", "/console/logout"): (FORM, {"csrf": CSRF}, ["csrf"]),
    ("post", "/console/password"): (FORM, {k: text(200) for k in ("current", "new", "repeat")} | {"csrf": CSRF},
                                    ["current", "new", "repeat", "csrf"]),
    ("post", "/console/holidays"): (FORM, {"day": DATE, "kind": {"type": "string", "enum": ["holiday", "workday"]},
                                           "name": text(40), "csrf": CSRF}, ["day", "kind", "csrf"]),
    ("post", "/console/holidays/delete"): (FORM, {"day": DATE, "csrf": CSRF}, ["day", "csrf"]),
    ("post", "/console/users"): (FORM, {"username": text(40, 1, pattern=r"^[\w.-]+$"), "display_name": text(40, 1),
                                        "role": {"type": "string", "enum": list(ROLES)},
                                        "scope": text(60, 1), "password": text(128, 8), "csrf": CSRF},
                                 ["username", "display_name", "role", "scope", "password", "csrf"]),
    ("post", "/console/users/{user_id}/toggle"): (FORM, {"csrf": CSRF}, ["csrf"]),
    ("post", "/console/users/{user_id}/unlock"): (FORM, {"csrf": CSRF}, ["csrf"]),
    ("post", "/console/people"): (FORM, {"name": text(40, 1), "position": text(60), "phone": {"type": "string", "pattern": "^([0-9]{7,12})?$"},
                                         "village": text(15, 1), "csrf": CSRF}, ["name", "village", "csrf"]),
    ("post", "/console/people/{agent_id}/photo"): (MULTIPART, {"photo": {"type": "string", "format": "binary",
                                                                         "maxLength": uploads.PHOTO_MAX_BYTES},
                                                               "csrf": CSRF}, ["photo", "csrf"]),
    ("post", "/console/people/{agent_id}/toggle"): (FORM, {"csrf": CSRF}, ["csrf"]),
    ("post", "/console/roster"): (FORM, {"agent": {"type": "string", "pattern": "^[1-9][0-9]{0,8}$"},
                                         "weekday": {"type": "string", "enum": [str(d) for d in range(1, 8)]},
                                         "hours": {"type": "string", "maxLength": 40, "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$"}, "csrf": CSRF}, ["agent", "weekday", "hours", "csrf"]),
    ("post", "/console/roster/{entry_id}/delete"): (FORM, {"csrf": CSRF}, ["csrf"]),
    ("post", "/console/terminals/codes"): (FORM, {"village": text(15, 1), "csrf": CSRF}, ["village", "csrf"]),
    ("post", "/console/terminals/{device_id}/revoke"): (FORM, {"csrf": CSRF}, ["csrf"]),
    ("post", "/console/applications/{app_id}/transition"): (
        FORM, {"target": text(30, 1), "note": text(500, multiline=True), "materials": {"type": "array", "maxItems": 60, "items": text(200)},
               "materials_other": text(1000, multiline=True), "office": text(100), "csrf": CSRF}, ["target", "csrf"]),
    ("post", "/console/applications/{app_id}/reveal"): (FORM, {"csrf": CSRF}, ["csrf"]),
    ("post", "/console/catalogue/import"): (MULTIPART, {"file": {"type": "string", "format": "binary",
                                                                 "maxLength": uploads.CATALOGUE_MAX_BYTES},
                                                        "note": text(200), "csrf": CSRF}, ["file", "csrf"]),
    ("post", "/console/catalogue/items/{code}"): (
        FORM, {"name": text(2000, 1), "office": text(2000), "statutory_days": {"type": "string", "pattern": "^[0-9]{1,3}$"},
               "promised_days": {"type": "string", "pattern": "^[0-9]{1,3}$"}, "conditions": text(2000, multiline=True),
               "location": text(2000), "note": text(200), "csrf": CSRF},
        ["name", "statutory_days", "promised_days", "csrf"]),
    ("post", "/console/ledger.csv"): (FORM, FILTER | {"csrf": CSRF}, ["csrf"]),
    ("post", "/console/ledger.xlsx"): (FORM, FILTER | {"csrf": CSRF}, ["csrf"]),
    ("post", "/console/followups/{rating_id}/answer"): (FORM, {"answer": text(2000, 1, multiline=True), "csrf": CSRF}, ["answer", "csrf"]),
    ("post", "/console/complaints/{complaint_id}/reply"): (FORM, {"reply": text(2000, 1, multiline=True), "csrf": CSRF}, ["reply", "csrf"]),
}

# Success bodies other than an HTML page.
DOWNLOADS: dict[tuple[str, str], str] = {
    ("post", "/console/ledger.csv"): "text/csv",
    ("post", "/console/ledger.xlsx"): XLSX,
    ("get", "/console/catalogue.xlsx"): XLSX,
    ("get", "/console/people/{agent_id}/photo"): "image/jpeg",
}

DESCRIPTIONS = {
    200: "The page", 303: "Done (post-redirect-get), or not signed in: to the sign-in page",
    400: "A page naming what is wrong with the input", 401: "Wrong user name or password",
    403: "Not allowed for this role, or the form's CSRF token is wrong", 404: "No such record in the user's scope",
    405: "This address does not answer that method", 409: "The record changed meanwhile; try again",
    413: "The upload is larger than the form's limit", 429: "Too many sign-in attempts: wait",
    503: "The database is busy; try again",
}


def _statuses(method: str, path: str) -> list[int]:
    if path == "/console/login":
        return [200, 400, 503] if method == "get" else [303, 400, 401, 403, 413, 429, 503]
    if method == "get":
        return [200, 303, 400, 403, 404, 503]
    ok = [200] if (method, path) in DOWNLOADS else []
    return [*ok, 303, 400, 403, 404, 409, 413, 503]


def _html(description: str) -> dict[str, Any]:
    return {"description": description, "content": {HTML: {"schema": {"type": "string"}}}}


def _responses(method: str, path: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for status in _statuses(method, path):
        if status == 303:
            out["303"] = {"description": DESCRIPTIONS[303],
                          "headers": {"Location": {"schema": {"type": "string"}, "required": True}}}
        elif status == 200 and (method, path) in DOWNLOADS:
            out["200"] = {"description": "The file", "content": {DOWNLOADS[(method, path)]: {"schema": {"type": "string", "format": "binary"}}}}
        else:
            out[str(status)] = _html(DESCRIPTIONS[status])
    return out


def _describe(path: str, method: str, operation: dict[str, Any]) -> None:
    operation["tags"] = ["console"]
    operation["responses"] = _responses(method, path)
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            parameter["schema"] = dict(RECORD_ID) if parameter["name"].endswith("_id") else text(40, 1)
        elif parameter["in"] == "query":  # filters: a bad value is ignored and named on the page (200)
            parameter["schema"] = {"type": "string"}
    form = FORMS.get((method, path))
    if form is not None:
        media, fields, required = form
        operation["requestBody"] = {"required": True, "content": {media: {"schema": {
            "type": "object", "properties": fields, "required": required, "additionalProperties": False}}}}


def document(app: FastAPI) -> None:
    """Describe the console's operations in the app's OpenAPI document (built once, on first use)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        for path, operations in schema.get("paths", {}).items():
            if path.startswith("/console"):
                for method, operation in operations.items():
                    _describe(path, method, operation)
        schema.setdefault("tags", []).append({"name": "console", "description": "The agent console's pages (HTML)"})
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
