"""HTTP calls from a kiosk to the central server (requests, with timeouts).

Errors are sorted by what the kiosk should do about them:
- ``Unreachable``: no link, timeout, 5xx, 429 → keep everything, retry later;
- ``Unauthorized`` (401): token unknown or revoked → show "终端未登记/已停用", keep records;
- ``Forbidden`` (403): the batch names another village → keep records, show the error;
- ``BadRequest`` (other 4xx): the server names the fields it refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import requests

from bianmin.domain.wire import StatusPage

DEFAULT_TIMEOUT = (5.0, 30.0)  # connect, read (seconds)
API = "/api/v1"


class SyncError(Exception):
    def __init__(self, message: str, status: int | None = None, fields: list[dict] | None = None):
        super().__init__(message)
        self.status = status
        self.fields = fields or []


class Unreachable(SyncError):
    pass


class Unauthorized(SyncError):
    pass


class Forbidden(SyncError):
    pass


class BadRequest(SyncError):
    pass


@dataclass
class Document:
    """A downloaded document; ``body`` None means unchanged (304)."""

    etag: str
    body: dict | None = None
    headers: dict[str, str] = field(default_factory=dict)


class ServerClient:
    def __init__(self, base_url: str, token: str = "", timeout: tuple[float, float] = DEFAULT_TIMEOUT,
                 session: requests.Session | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.http = session or requests.Session()
        self.http.headers["User-Agent"] = "bianmin-kiosk/1"

    def close(self) -> None:
        self.http.close()

    # ----- plumbing ----------------------------------------------------------------
    def _request(self, method: str, path: str, **kwargs: object) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}) or {})  # type: ignore[arg-type]
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = self.http.request(method, self.base_url + API + path, headers=headers,
                                         timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise Unreachable(f"无法连接服务器 / server unreachable: {type(exc).__name__}") from exc
        if response.status_code < 400 or response.status_code == 304:
            return response
        detail, fields = self._error_of(response)
        status = response.status_code
        if status == 401:
            raise Unauthorized(detail or "终端未登记/已停用", status, fields)
        if status == 403:
            raise Forbidden(detail, status, fields)
        if status >= 500 or status in (408, 429):
            raise Unreachable(f"服务器暂时不可用 / server unavailable ({status})", status, fields)
        raise BadRequest(detail or f"HTTP {status}", status, fields)

    @staticmethod
    def _error_of(response: requests.Response) -> tuple[str, list[dict]]:
        try:
            body = response.json()
        except ValueError:
            return response.text[:200], []
        if not isinstance(body, dict):
            return str(body)[:200], []
        errors = body.get("errors") if isinstance(body.get("errors"), list) else []
        return str(body.get("detail", ""))[:500], errors

    @staticmethod
    def _json(response: requests.Response) -> dict:
        try:
            body = response.json()
        except ValueError as exc:
            raise Unreachable("服务器回复无法解析 / unreadable server reply", response.status_code) from exc
        if not isinstance(body, dict):
            raise Unreachable("服务器回复无法解析 / unreadable server reply", response.status_code)
        return body

    # ----- calls -------------------------------------------------------------------
    def enrol(self, code: str, name: str = "", key: str | None = None) -> dict:
        body = {"code": code, "name": name}
        if key:
            body["enrolment_key"] = key  # retrying with the same key returns the same device
        return self._json(self._request("POST", "/enrol", json=body))

    def whoami(self) -> dict:
        return self._json(self._request("GET", "/device"))

    def push(self, records: list[dict]) -> list[dict]:
        """Push wire records; one result dict per record, in order."""
        body = self._json(self._request("POST", "/sync/push", json={"records": records}))
        results = body.get("results")
        if not isinstance(results, list) or len(results) != len(records):
            raise Unreachable("服务器回复不完整 / incomplete server reply")
        return results

    def report_health(self, report: dict) -> None:
        """POST /sync/health; an older server without it (404) is not an error."""
        try:
            self._request("POST", "/sync/health", json=report)
        except BadRequest as exc:
            if exc.status not in (404, 405):
                raise

    def status(self, since: str = "", limit: int | None = None) -> StatusPage:
        params: dict[str, object] = {"since": since}
        if limit:
            params["limit"] = limit
        return StatusPage.model_validate(self._json(self._request("GET", "/sync/status", params=params)))

    def document(self, name: str, etag: str = "") -> Document | None:
        """GET /catalogue, /notices or /roster by ETag; None when the server has none (404)."""
        headers = {"If-None-Match": etag} if etag else {}
        try:
            response = self._request("GET", f"/{name}", headers=headers)
        except BadRequest as exc:
            if exc.status == 404:
                return None
            raise
        if response.status_code == 304:
            return Document(etag=etag, body=None, headers=dict(response.headers))
        return Document(etag=response.headers.get("ETag", ""), body=self._json(response),
                        headers=dict(response.headers))
