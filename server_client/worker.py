"""The background sync worker: outbox up, status changes and documents down.

It runs in its own thread (or in the foreground: ``bianmin kiosk sync``) and never
touches Kivy; the kiosk passes a listener that re-posts each ``SyncState`` to the UI
thread with ``Clock.schedule_once``.

Guarantees:
- An outbox row is removed only when the server confirmed the exact version that
  was sent (same ``dirty_at``), so a record edited during an upload stays queued.
- Nothing is ever deleted because it was refused. A record the server refuses (its
  own result "rejected", a 422 naming it, a 403 naming it) or the local wire check
  refuses is *quarantined* in the outbox with the reason (bianmin.local.outbox) and
  shown to staff; the other records keep flowing.
- A whole batch answered with 500 is split in halves until the record that breaks
  the server is alone; it is quarantined once the server has shown it can take other
  records (or after ``ISOLATED_500_LIMIT`` rounds), so one poison record never blocks
  a village again. 502/503/504, 429 and timeouts are "offline": keep, back off, retry
  with exponential backoff and jitter (so a thousand kiosks coming back after a power
  cut do not all retry in the same second).
- The status and document pulls run even when the push failed (unless the server
  cannot be reached at all), so agents' decisions reach the kiosk regardless.
- Status changes are stored with the cursor in one local transaction, so a crash
  between pages never skips or double-applies a page.
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from pydantic import TypeAdapter, ValidationError

import bianmin
from bianmin.domain.wire import MAX_BATCH, Record
from bianmin.local import outbox, status_cache
from bianmin.local.outbox import OutboxRow
from bianmin.store import LocalStore
from server_client.client import (
    BadRequest,
    Forbidden,
    ServerClient,
    SyncError,
    Unauthorized,
    Unreachable,
)

log = logging.getLogger(__name__)

_RECORD = TypeAdapter(Record)
_INDEX = re.compile(r"^records\[(\d+)\]")
DOCUMENTS = ("catalogue", "notices", "roster")
MAX_STATUS_PAGES = 50
ISOLATED_500_LIMIT = 3  # rounds a lone record may break the server before it is quarantined anyway
CONFIRMED = ("created", "updated", "unchanged", "change_requested")
HEALTH_EVERY = 600.0  # seconds: an unchanged health report is re-sent this often (last contact is tracked anyway)


@dataclass(frozen=True)
class SyncState:
    online: bool = False
    pending: int = 0
    last_sync: datetime | None = None
    error_key: str = ""  # translation key: sync.unauthorized | sync.forbidden | sync.offline | sync.error
    error: str = ""  # technical detail for staff and logs
    syncing: bool = False
    quarantined: int = 0  # records the server refused; staff see them with their reasons

    @property
    def unauthorized(self) -> bool:
        return self.error_key == "sync.unauthorized"


Listener = Callable[[SyncState], None]


def default_catalogue_installer() -> Callable[[dict], object] | None:
    """bianmin.catalogue_source.install_catalogue when this build has it, else None."""
    try:
        from bianmin.catalogue_source import install_catalogue
    except ImportError:
        return None
    return install_catalogue


class _ServerBroken(Unreachable):
    """A lone record got a 500 before the server showed it could take anything this round."""

    def __init__(self, message: str) -> None:
        super().__init__(message, 500)


class SyncWorker:
    def __init__(
        self,
        store: LocalStore,
        client: ServerClient,
        listener: Listener | None = None,
        *,
        batch_size: int = 100,
        interval: float = 30.0,
        base_backoff: float = 2.0,
        max_backoff: float = 300.0,
        documents: tuple[str, ...] = DOCUMENTS,
        install_catalogue: Callable[[dict], object] | None | str = "default",
        rng: random.Random | None = None,
        report_health: bool = True,
    ) -> None:
        self.store = store
        self.client = client
        self.listener = listener
        self.batch_size = max(1, min(batch_size, MAX_BATCH))
        self.interval = interval
        self.base_backoff = base_backoff
        self.max_backoff = max_backoff
        self.documents = documents
        self.install_catalogue = default_catalogue_installer() if install_catalogue == "default" else install_catalogue
        self.rng = rng or random.Random()
        self.report_health = report_health
        self.failures = 0
        self._last_health: tuple[dict, float] | None = None
        self.state = SyncState()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        outbox.ensure_schema(store)
        status_cache.ensure_schema(store)
        self.state = replace(self.state, pending=outbox.pending_count(store),
                             quarantined=outbox.quarantined_count(store),
                             last_sync=status_cache.last_sync_time(store))

    # ----- thread control ------------------------------------------------------------
    def start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="bianmin-sync", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self.client.close()

    def wake(self) -> None:
        """Sync soon (e.g. right after a new record was committed)."""
        self._wake.set()

    def _run(self) -> None:
        self.run_forever()
        self.store.close()  # this thread's connection

    def run_forever(self) -> None:
        """Sync rounds until ``stop()``: the app's thread and ``bianmin kiosk sync`` both run this."""
        while not self._stop.is_set():
            ok = self.sync_once()
            delay = self.interval if ok else self.next_delay()
            self._wake.wait(delay)
            self._wake.clear()

    def next_delay(self) -> float:
        """Exponential backoff with 'equal jitter': between half and all of base·2ⁿ, capped."""
        ceiling = min(self.max_backoff, self.base_backoff * 2 ** max(0, self.failures - 1))
        return self.rng.uniform(ceiling / 2, ceiling)

    # ----- one round -----------------------------------------------------------------
    def sync_once(self) -> bool:
        """Push, pull status, pull documents, report health. True on full success; never raises.

        Each phase runs even if the one before failed (a push that fails does not keep
        the agents' status changes away), except after 401/403 (the device is not
        trusted) or when the server cannot be reached at all.
        """
        self._emit(syncing=True)
        error: Exception | None = None
        for phase in (self.push_outbox, self.pull_status, self.pull_documents, self._report_health):
            try:
                phase()
            except (Unauthorized, Forbidden) as exc:
                error = exc
                break
            except Unreachable as exc:
                error = error or exc
                if exc.status is None:  # no answer at all: the other calls would only time out too
                    break
            except Exception as exc:  # the worker thread must survive anything
                log.exception("sync phase %s failed", phase.__name__)
                error = error or exc
        counts = {"pending": outbox.pending_count(self.store), "quarantined": outbox.quarantined_count(self.store)}
        if error is not None:
            return self._failed(error, **counts)
        self.failures = 0
        now = datetime.now(UTC)
        self.store.set_setting(status_cache.LAST_SUCCESS_KEY, now.isoformat())
        self._emit(online=True, last_sync=now, error_key="", error="", syncing=False, **counts)
        return True

    def _failed(self, exc: Exception, **counts: int) -> bool:
        if isinstance(exc, Unauthorized):
            key, online = "sync.unauthorized", True
        elif isinstance(exc, Forbidden):
            key, online = "sync.forbidden", True
        elif isinstance(exc, Unreachable):
            key, online = "sync.offline", False
        else:
            key, online = "sync.error", False
        self.failures += 1
        detail = str(exc)
        if isinstance(exc, SyncError) and exc.fields:
            detail += " " + "; ".join(f"{f.get('field')}: {f.get('message')}" for f in exc.fields[:5])
        log.warning("sync: %s (%s)", key, detail)
        self._emit(online=online, error_key=key, error=detail, syncing=False, **counts)
        return False

    def _emit(self, **changes: object) -> None:
        self.state = replace(self.state, **changes)
        if self.listener is not None:
            try:
                self.listener(self.state)
            except Exception:
                log.exception("sync listener failed")

    # ----- push ----------------------------------------------------------------------
    def push_outbox(self) -> int:
        """Send every sendable outbox row in batches; returns how many were confirmed."""
        skip: set[tuple[str, str]] = set()
        limit = self.batch_size
        confirmed = 0
        server_took_something = False
        splitting = False  # a 500 is being narrowed down: keep batches small until it is found
        while not self._stop.is_set():
            rows, payloads = self._build_batch(limit, skip)
            if not rows:
                break
            try:
                results = self.client.push(payloads)
            except BadRequest as exc:
                if exc.status == 413 and len(rows) > 1:
                    limit = max(1, len(rows) // 2)
                    continue
                if not self._refuse_named(rows, exc, skip):
                    limit = max(1, len(rows) // 2)  # refused without naming a record: isolate it
                continue
            except Forbidden as exc:
                if not self._refuse_named(rows, exc, skip):
                    raise  # the device itself is refused: keep everything, tell staff
                continue
            except Unreachable as exc:
                if exc.status != 500:
                    raise
                if len(rows) > 1:  # something in this batch breaks the server: find it
                    limit, splitting = max(1, len(rows) // 2), True
                    continue
                self._isolated_500(rows[0], exc, server_took_something, skip)
                limit, splitting = self.batch_size, False
                continue
            server_took_something = True
            confirmed += self._apply_results(rows, results, skip)
            skip.update((row[0], row[1]) for row in rows)  # once per round: a re-dirtied row waits
            if not splitting:
                limit = min(self.batch_size, limit * 2)
            self._emit(pending=outbox.pending_count(self.store))
        return confirmed

    def _refuse_named(self, rows: list[OutboxRow], exc: SyncError, skip: set[tuple[str, str]]) -> bool:
        """Quarantine the records a 4xx names (records[i]…); False if it names none."""
        named: dict[int, list[dict]] = {}
        for problem in exc.fields:
            match = _INDEX.match(str(problem.get("field", "")))
            if match and int(match.group(1)) < len(rows):
                named.setdefault(int(match.group(1)), []).append(problem)
        if not named and len(rows) == 1:
            named = {0: list(exc.fields)}
        if not named:
            return False
        outbox.quarantine(self.store, [
            (rows[i], f"{exc} " + json.dumps(problems, ensure_ascii=False)) for i, problems in sorted(named.items())
        ])
        skip.update((rows[i][0], rows[i][1]) for i in named)
        return True

    def _isolated_500(self, row: OutboxRow, exc: Unreachable, server_works: bool,
                      skip: set[tuple[str, str]]) -> None:
        attempts = self.store.connect().execute(
            "SELECT attempts FROM outbox WHERE kind = ? AND uuid = ?", (row[0], row[1])).fetchone()
        attempts = (attempts[0] if attempts else 0) + 1
        if server_works or attempts >= ISOLATED_500_LIMIT:
            outbox.quarantine(self.store, [(row, f"服务器处理此记录时出错 / the server fails on this record ({exc})")])
            skip.add((row[0], row[1]))
            return
        outbox.note_failure(self.store, [row], str(exc))
        raise _ServerBroken(str(exc)) from exc

    def _build_batch(self, limit: int, skip: set[tuple[str, str]]) -> tuple[list[OutboxRow], list[dict]]:
        """Read outbox rows and their current payloads in one snapshot (so dirty_at matches)."""
        conn = self.store.connect()
        rows: list[OutboxRow] = []
        payloads: list[dict] = []
        gone: list[OutboxRow] = []
        invalid: list[tuple[OutboxRow, str]] = []
        conn.execute("BEGIN")
        try:
            for row in outbox.next_rows(conn, limit + len(skip)):
                kind, uuid, _dirty_at = row
                if (kind, uuid) in skip or len(rows) >= limit:
                    continue
                serializer = outbox.serializer_for(kind)
                if serializer is None:  # its feature is not loaded in this process; leave it queued
                    skip.add((kind, uuid))
                    continue
                try:
                    payload = serializer(conn, uuid)
                    if payload is None:
                        gone.append(row)
                        continue
                    record = _RECORD.validate_python(payload)
                except ValidationError as exc:
                    invalid.append((row, "本机记录不符合上传要求 / invalid local record: " + _short(exc)))
                    skip.add((kind, uuid))
                    continue
                except Exception as exc:  # a feature's serializer bug must not stop the others
                    log.exception("serializer for %s failed", kind)
                    invalid.append((row, f"serializer error: {exc}"))
                    skip.add((kind, uuid))
                    continue
                rows.append(row)
                payloads.append(record.model_dump(mode="json"))
        finally:
            conn.execute("COMMIT")
        outbox.confirm(self.store, gone)
        outbox.quarantine(self.store, invalid)
        return rows, payloads

    def _apply_results(self, rows: list[OutboxRow], results: list[dict], skip: set[tuple[str, str]]) -> int:
        done: list[OutboxRow] = []
        refused: list[tuple[OutboxRow, str]] = []
        confused: list[OutboxRow] = []
        for row, result in zip(rows, results, strict=True):
            if str(result.get("uuid")) != row[1]:
                confused.append(row)
            elif result.get("result") in CONFIRMED:
                done.append(row)
            else:
                refused.append((row, str(result.get("error") or result.get("result"))))
        outbox.confirm(self.store, done)
        outbox.quarantine(self.store, refused)
        outbox.note_failure(self.store, confused, "server reply out of order")
        skip.update((row[0], row[1]) for row, _ in refused)
        return len(done)

    # ----- pull ----------------------------------------------------------------------
    def pull_status(self) -> int:
        """Copy status changes since the stored cursor into status_cache; returns how many."""
        cursor = self.store.get_setting(status_cache.CURSOR_KEY, "") or ""
        total = 0
        for _ in range(MAX_STATUS_PAGES):
            try:
                page = self.client.status(cursor)
            except BadRequest as exc:
                if exc.status in (400, 422) and cursor:  # the server no longer knows our cursor: start over
                    cursor = ""
                    continue
                raise
            synced_at = datetime.now(UTC).isoformat()
            with self.store.transaction() as conn:
                for change in page.changes:
                    status_cache.save_change(conn, change, synced_at)
                conn.execute(
                    "INSERT INTO settings(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (status_cache.CURSOR_KEY, page.cursor),
                )
            total += len(page.changes)
            cursor = page.cursor
            if not page.more:
                break
        return total

    def pull_documents(self) -> list[str]:
        """Download changed documents (ETag); install a new catalogue. Returns names that changed."""
        changed = []
        for name in self.documents:
            etag = status_cache.document_etag(self.store, name)
            doc = self.client.document(name, etag)
            if doc is None or doc.body is None:
                continue
            if name == "catalogue" and self.install_catalogue is not None:
                try:
                    self.install_catalogue(doc.body.get("catalogue", {}))
                except Exception as exc:  # a bad catalogue keeps the current one (catalogue_source)
                    log.warning("downloaded catalogue not installed: %s", exc)
            with self.store.transaction() as conn:
                conn.execute(
                    "INSERT INTO sync_documents(name, etag, body, fetched_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(name) DO UPDATE SET etag = excluded.etag, body = excluded.body, "
                    "fetched_at = excluded.fetched_at",
                    (name, doc.etag, json.dumps(doc.body, ensure_ascii=False), datetime.now(UTC).isoformat()),
                )
            changed.append(name)
        return changed

    # ----- health --------------------------------------------------------------------
    def health_report(self) -> dict:
        """What the console's kiosk health page shows: pending, quarantined with reasons, versions."""
        held = outbox.quarantined(self.store, limit=50)
        catalogue = status_cache.cached_document(self.store, "catalogue") or {}
        version = catalogue.get("version", catalogue.get("catalogue", {}).get("version", ""))
        return {
            "software_version": bianmin.__version__,
            "catalogue_version": str(version or "")[:40],
            "pending": outbox.pending_count(self.store),
            "quarantined": [{"kind": q.kind, "uuid": q.uuid, "reason": q.reason[:500], "since": q.since.isoformat()}
                            for q in held],
            "quarantined_total": outbox.quarantined_count(self.store),
        }

    def _report_health(self) -> None:
        """Send the report when it changed or every HEALTH_EVERY seconds (a write on the server each time)."""
        if not self.report_health:
            return
        report, now = self.health_report(), time.monotonic()
        if self._last_health is not None and self._last_health[0] == report \
                and now - self._last_health[1] < HEALTH_EVERY:
            return
        self.client.report_health(report)
        self._last_health = (report, now)


def _short(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:3]
    )
