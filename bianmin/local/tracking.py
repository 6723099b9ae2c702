"""查询进度 on the kiosk, UI-free: read a scan, decode a camera frame, find the status.

Where the answer comes from, in order: the server (fresh), else the last copy the
kiosk cached from the server (shown with its time, "截至 10:32"), else the
kiosk's own record of the application if it was never synced. The screen calls
``lookup`` in a worker thread and shows the ``TrackingView`` it returns.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from bianmin.domain.tracking import is_token, normalise_short_code
from bianmin.store import LocalStore

# A scanned QR is "{public_base_url}/t/{token}"; scanners may add a query or a fragment.
_URL_TOKEN = re.compile(r"/t/([A-Za-z0-9_-]{22,64})/?$")

CACHE_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS tracking_cache (
        key TEXT PRIMARY KEY,          -- 'token:<token>' or 'code:<short code>'
        view TEXT NOT NULL,            -- TrackingView as JSON
        fetched_at TEXT NOT NULL
    )""",
]


@dataclass
class TimelineEntry:
    status: str
    at: str  # ISO datetime
    note: str = ""


@dataclass
class TrackingView:
    """What the villager may see about one application (never ID number or phone)."""

    token: str
    item_name: str
    masked_name: str
    status: str
    timeline: list[TimelineEntry] = field(default_factory=list)
    due_date: str | None = None
    overdue: bool = False
    missing_materials: list[str] = field(default_factory=list)
    pickup: str = ""
    answer: str = ""  # a supervisor's answer to a 差评, if any
    application_uuid: str = ""
    rated: bool = False
    source: str = "server"  # server | cache | local
    as_of: str | None = None  # when the server said so (cache/local copies)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict) -> TrackingView:
        data = dict(data)
        data["timeline"] = [TimelineEntry(**e) for e in data.get("timeline", [])]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


class NotFound(LookupError):
    """Nothing (visible) matches; the message never says which part was wrong."""


class RateLimited(LookupError):
    pass


class Unreachable(ConnectionError):
    pass


def token_from_scan(text: str) -> str | None:
    """The token in what a scanner typed: a tracking URL or a bare token; None otherwise."""
    text = text.strip()
    if not text:
        return None
    if "/" in text:
        path = urlsplit(text).path if "://" in text else text.split("?")[0].split("#")[0]
        match = _URL_TOKEN.search(path)
        return match.group(1) if match else None
    return text if is_token(text) else None


def short_code_from_scan(text: str) -> str | None:
    return normalise_short_code(text)


def decode_qr(image: object) -> list[str]:
    """Decode every QR code in a PIL image or numpy array (camera frame); [] if none."""
    import zxingcpp

    try:
        results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode, try_rotate=True)
    except (TypeError, ValueError, RuntimeError):
        return []
    return [r.text for r in results if r.valid and r.text]


def ensure_schema(store: LocalStore) -> None:
    store.ensure_schema("tracking_cache", 1, CACHE_SCHEMA)


def cache_view(store: LocalStore, key: str, view: TrackingView) -> None:
    ensure_schema(store)
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO tracking_cache(key, view, fetched_at) VALUES (?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET view = excluded.view, fetched_at = excluded.fetched_at",
            (key, view.to_json(), datetime.now(UTC).isoformat()),
        )


def cached_view(store: LocalStore, key: str) -> TrackingView | None:
    ensure_schema(store)
    row = store.connect().execute("SELECT view, fetched_at FROM tracking_cache WHERE key = ?", (key,)).fetchone()
    if row is None:
        return None
    view = TrackingView.from_dict(json.loads(row["view"]))
    view.source = "cache"
    view.as_of = row["fetched_at"]
    return view


# Local fallbacks other features can plug in (e.g. the applications module's own
# record, or the sync worker's status cache): fn(store, token=..., short_code=..., last4=...).
LocalSource = Callable[..., TrackingView | None]
_LOCAL_SOURCES: list[LocalSource] = []


def register_local_source(source: LocalSource) -> None:
    if source not in _LOCAL_SOURCES:
        _LOCAL_SOURCES.append(source)


def cache_key(token: str | None, short_code: str | None) -> str:
    return f"token:{token}" if token else f"code:{short_code}"


Fetcher = Callable[..., TrackingView]


def lookup(
    store: LocalStore,
    fetch: Fetcher | None,
    token: str | None = None,
    short_code: str | None = None,
    last4: str = "",
) -> TrackingView:
    """Server first, then the cached copy, then local sources; raises NotFound/RateLimited.

    ``fetch(token=…, short_code=…, last4=…)`` asks the server and raises NotFound,
    RateLimited or Unreachable. A short-code lookup is cached under the code only
    together with the phone digits, so the cache never answers a wrong guess.
    """
    if token is None and short_code is None:
        raise NotFound("no key")
    key = cache_key(token, f"{short_code}:{last4}" if short_code else None)
    if fetch is not None:
        try:
            view = fetch(token=token, short_code=short_code, last4=last4)
        except Unreachable:
            pass
        else:
            view.source = "server"
            _mark_rated_here(store, view)
            cache_view(store, key, view)
            if short_code and view.token:
                cache_view(store, cache_key(view.token, None), view)
            return view
    view = cached_view(store, key)
    if view is not None:
        _mark_rated_here(store, view)
        return view
    for source in _LOCAL_SOURCES:
        view = source(store, token=token, short_code=short_code, last4=last4)
        if view is not None:
            return view
    raise NotFound("not found locally")


def _mark_rated_here(store: LocalStore, view: TrackingView) -> None:
    """A rating made on this kiosk but not uploaded yet still counts: one per application."""
    from bianmin.local import feedback

    if view.application_uuid and not view.rated:
        view.rated = feedback.already_rated(store, view.application_uuid)


def local_application_view(store: LocalStore, token: str | None = None, short_code: str | None = None,
                           last4: str = "") -> TrackingView | None:
    """The kiosk's own record of an application registered here, with the synced status if any.

    Found by token, or by short code *and* the phone's last four digits (the same
    rule as on the server). The status is the last one the sync worker copied from
    the server (``source='cache'``, with its time), else the kiosk's own
    (``source='local'``: never reached the server yet).
    """
    from bianmin.domain.masking import mask_name
    from bianmin.local import applications, status_cache

    applications.ensure_schema(store)
    conn = store.connect()
    if token:
        row = conn.execute("SELECT uuid, phone FROM applications WHERE token = ?", (token,)).fetchone()
    elif short_code:
        row = conn.execute("SELECT uuid, phone FROM applications WHERE short_code = ?", (short_code,)).fetchone()
        if row is not None and row["phone"][-4:] != last4:
            row = None
    else:
        row = None
    if row is None:
        return None
    app = applications.get_application(store, row["uuid"])
    if app is None:
        return None
    timeline = [TimelineEntry("submitted", app.created_at.isoformat())]
    view = TrackingView(
        token=app.token, item_name=app.item_name, masked_name=mask_name(app.applicant_name), status=app.status,
        timeline=timeline, due_date=None, missing_materials=list(app.materials_missing),
        application_uuid=app.uuid, source="local", as_of=None,
    )
    if app.status == "awaiting_materials":
        timeline.append(TimelineEntry("awaiting_materials", app.created_at.isoformat()))
    cached = status_cache.cached_status(store, app.uuid)
    if cached is not None:
        if cached.status != timeline[-1].status:
            timeline.append(TimelineEntry(cached.status, cached.changed_at.isoformat(), cached.note))
        view.status = cached.status
        view.missing_materials = list(cached.missing_materials)
        view.due_date = cached.due_date.isoformat() if cached.due_date else None
        view.source = "cache"
        view.as_of = cached.as_of.isoformat() if cached.as_of else cached.changed_at.isoformat()
    from bianmin.local import feedback

    view.rated = feedback.already_rated(store, app.uuid)
    return view


register_local_source(local_application_view)
