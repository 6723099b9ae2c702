"""Ask the central server for an application's status (the kiosk's 查询进度).

Called from a worker thread only. Network trouble becomes ``Unreachable`` so the
screen falls back to the cached copy; a 404 is ``NotFound`` and a 429
``RateLimited`` — the server never says whether a short code exists.
"""

from __future__ import annotations

import requests

from bianmin.local.tracking import NotFound, RateLimited, TrackingView, Unreachable

TIMEOUT = (3.05, 6)


class TrackingClient:
    def __init__(self, base_url: str, device_token: str = "", session: requests.Session | None = None):
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()
        self.headers = {"Authorization": f"Bearer {device_token}"} if device_token else {}

    def __call__(self, token: str | None = None, short_code: str | None = None, last4: str = "") -> TrackingView:
        if not self.base_url:
            raise Unreachable("no server configured")
        try:
            if token:
                resp = self.session.get(f"{self.base_url}/api/v1/track/{token}", headers=self.headers,
                                        timeout=TIMEOUT)
            else:
                resp = self.session.post(f"{self.base_url}/api/v1/track/lookup", headers=self.headers,
                                         json={"short_code": short_code or "", "last4": last4},
                                         timeout=TIMEOUT)
        except requests.RequestException as exc:
            raise Unreachable(str(exc)) from exc
        if resp.status_code == 404:
            raise NotFound("server says not found")
        if resp.status_code == 429:
            raise RateLimited("too many attempts")
        if resp.status_code != 200:
            raise Unreachable(f"HTTP {resp.status_code}")
        try:
            return TrackingView.from_dict(resp.json())
        except (ValueError, TypeError) as exc:
            raise Unreachable("bad response") from exc
