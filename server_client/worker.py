"""The background sync worker: outbox up, status changes and documents down.

It runs in its own thread and never touches Kivy; the kiosk passes a listener
that re-posts each ``SyncState`` to the UI thread with ``Clock.schedule_once``.

Guarantees:
- An outbox row is removed only when the server confirmed the exact version that
  was sent (same ``dirty_at``), so a record edited during an upload stays queued.
- Every failure keeps the records; the worker retries with exponential backoff
  and jitter (so a thousand kiosks coming back after a power cut do not all
  retry in the same second). A record the server or the local validator refuses
  is marked with its error and skipped, never blocking the others.
- Status changes are stored with the cursor in one local transaction, so a crash
  between pages never skips or double-applies a page.
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from pydantic import TypeAdapter, ValidationError

from bianmin.domain.wire import MAX_BATCH, Record
from bianmin.store import LocalStore
from server_client import outbox, status
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


@dataclass(frozen=True)
class SyncState:
    online: bool = False
    pending: int = 0
    last_sync: datetime | None = None
    error_key: str = ""  # translation key: sync.unauthorized | sync.forbidden | sync.offline | sync.error
    error: str = ""  # technical detail for staff and logs
    syncing: bool = False

    @property
    def unauthorized(self) -> bool:
        return self.error_key == "sync.unauthorized"


Listener = Callable[[SyncState], None]
OutboxRow = tuple[str, str, str]  # kind, uuid, dirty_at


def default_catalogue_installer() -> Callable[[dict], object] | None:
    """bianmin.catalogue_source.install_catalogue when this build has it, else None."""
    try:
        from bianmin.catalogue_source import install_catalogue
    except ImportError:
        return None
    return install_catalogue


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
        self.failures = 0
        self.state = SyncState()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        outbox.ensure_schema(store)
        status.ensure_schema(store)
        self.state = replace(self.state, pending=outbox.pending_count(store),
                             last_sync=status.last_sync_time(store))

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
        while not self._stop.is_set():
            ok = self.sync_once()
            delay = self.interval if ok else self.next_delay()
            self._wake.wait(delay)
            self._wake.clear()
        self.store.close()  # this thread's connection

    def next_delay(self) -> float:
        """Exponential backoff with 'equal jitter': between half and all of base·2ⁿ, capped."""
        ceiling = min(self.max_backoff, self.base_backoff * 2 ** max(0, self.failures - 1))
        return self.rng.uniform(ceiling / 2, ceiling)

    # ----- one round -----------------------------------------------------------------
    def sync_once(self) -> bool:
        """Push, pull status, pull documents. True on full success; never raises."""
        self._emit(syncing=True)
        try:
            self.push_outbox()
            self.pull_status()
            self.pull_documents()
        except Unauthorized as exc:
            return self._failed("sync.unauthorized", exc, online=True)
        except Forbidden as exc:
            return self._failed("sync.forbidden", exc, online=True)
        except Unreachable as exc:
            return self._failed("sync.offline", exc, online=False)
        except Exception as exc:  # the worker thread must survive anything
            log.exception("sync failed")
            return self._failed("sync.error", exc, online=False)
        self.failures = 0
        now = datetime.now(UTC)
        self.store.set_setting(status.LAST_SUCCESS_KEY, now.isoformat())
        self._emit(online=True, last_sync=now, error_key="", error="", syncing=False,
                   pending=outbox.pending_count(self.store))
        return True

    def _failed(self, key: str, exc: Exception, online: bool) -> bool:
        self.failures += 1
        detail = str(exc)
        if isinstance(exc, SyncError) and exc.fields:
            detail += " " + "; ".join(f"{f.get('field')}: {f.get('message')}" for f in exc.fields[:5])
        log.warning("sync: %s (%s)", key, detail)
        self._emit(online=online, error_key=key, error=detail, syncing=False,
                   pending=outbox.pending_count(self.store))
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
                bad = {int(m.group(1)) for f in exc.fields if (m := _INDEX.match(str(f.get("field", ""))))}
                bad = {i for i in bad if i < len(rows)} or set(range(len(rows)))
                self._mark_errors([(rows[i], str(exc) + " " + json.dumps(
                    [f for f in exc.fields if str(f.get("field", "")).startswith(f"records[{i}]")],
                    ensure_ascii=False)) for i in sorted(bad)])
                skip.update((rows[i][0], rows[i][1]) for i in bad)
                continue
            confirmed += self._apply_results(rows, results, skip)
            skip.update((row[0], row[1]) for row in rows)  # once per round: a re-dirtied row waits
            self._emit(pending=outbox.pending_count(self.store))
        return confirmed

    def _build_batch(self, limit: int, skip: set[tuple[str, str]]) -> tuple[list[OutboxRow], list[dict]]:
        """Read outbox rows and their current payloads in one snapshot (so dirty_at matches)."""
        conn = self.store.connect()
        rows: list[OutboxRow] = []
        payloads: list[dict] = []
        gone: list[OutboxRow] = []
        invalid: list[tuple[OutboxRow, str]] = []
        conn.execute("BEGIN")
        try:
            candidates = conn.execute(
                "SELECT kind, uuid, dirty_at FROM outbox ORDER BY last_error != '', dirty_at LIMIT ?",
                (limit + len(skip),),
            ).fetchall()
            for kind, uuid, dirty_at in candidates:
                if (kind, uuid) in skip or len(rows) >= limit:
                    continue
                serializer = outbox.serializer_for(kind)
                if serializer is None:  # its feature is not loaded in this process; leave it queued
                    skip.add((kind, uuid))
                    continue
                row = (kind, uuid, dirty_at)
                try:
                    payload = serializer(conn, uuid)
                    if payload is None:
                        gone.append(row)
                        continue
                    record = _RECORD.validate_python(payload)
                except ValidationError as exc:
                    invalid.append((row, "本机记录不完整 / invalid local record: " + _short(exc)))
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
        if gone:
            with self.store.transaction() as wconn:
                wconn.executemany("DELETE FROM outbox WHERE kind = ? AND uuid = ? AND dirty_at = ?", gone)
        if invalid:
            self._mark_errors(invalid)
        return rows, payloads

    def _apply_results(self, rows: list[OutboxRow], results: list[dict], skip: set[tuple[str, str]]) -> int:
        done: list[OutboxRow] = []
        errors: list[tuple[OutboxRow, str]] = []
        for row, result in zip(rows, results, strict=True):
            if str(result.get("uuid")) != row[1]:
                errors.append((row, "server reply out of order"))
            elif result.get("result") in ("created", "updated", "unchanged"):
                done.append(row)
            else:
                errors.append((row, str(result.get("error") or result.get("result"))))
        with self.store.transaction() as conn:
            # Only the version that was sent: a row re-dirtied meanwhile has a new dirty_at.
            conn.executemany("DELETE FROM outbox WHERE kind = ? AND uuid = ? AND dirty_at = ?", done)
        if errors:
            self._mark_errors(errors)
            skip.update((row[0], row[1]) for row, _ in errors)
        return len(done)

    def _mark_errors(self, errors: list[tuple[OutboxRow, str]]) -> None:
        with self.store.transaction() as conn:
            conn.executemany(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE kind = ? AND uuid = ?",
                [(message[:500], row[0], row[1]) for row, message in errors],
            )

    # ----- pull ----------------------------------------------------------------------
    def pull_status(self) -> int:
        """Copy status changes since the stored cursor into status_cache; returns how many."""
        cursor = self.store.get_setting(status.CURSOR_KEY, "") or ""
        total = 0
        for _ in range(MAX_STATUS_PAGES):
            try:
                page = self.client.status(cursor)
            except BadRequest as exc:
                if exc.status == 400 and cursor:  # the server no longer knows our cursor: start over
                    cursor = ""
                    continue
                raise
            synced_at = datetime.now(UTC).isoformat()
            with self.store.transaction() as conn:
                for change in page.changes:
                    status.save_change(conn, change, synced_at)
                conn.execute(
                    "INSERT INTO settings(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (status.CURSOR_KEY, page.cursor),
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
            etag = status.document_etag(self.store, name)
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


def _short(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:3]
    )
