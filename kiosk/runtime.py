"""The kiosk's runtime: the services the screens use, and one place for background work.

``KioskRuntime`` is created by ``kiosk.commands`` (or a test/benchmark harness) and
handed to ``BianminApp``. It owns the local store, the print service, the sync
worker, the queue, the catalogue loader, speech and the ``BackgroundExecutor``.
The app keeps what Kivy needs (properties, navigation, idle handling, kiosk mode).

The executor is the only way screens start work off the UI thread::

    self.app.runtime.run(work, on_done, on_error)

``work()`` runs on the worker; ``on_done(result)`` or ``on_error(exc)`` run on
the Kivy Clock (the UI thread). Jobs run one at a time in submission order, so
queue operations keep tap order and a screen's later load never overtakes its
save. In tests the executor is *manual*: nothing runs until the harness calls
``drain()``, so a UI test waits on its events, not on sleeps.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kivy.clock import Clock

from bianmin.config import Config
from bianmin.store import LocalStore
from kiosk.speech import Speaker

if TYPE_CHECKING:
    from bianmin.local.queue import QueueService
    from bianmin.local.staff_pin import PinGuard
    from printer.service import PrintService

log = logging.getLogger(__name__)

Job = tuple[Callable[[], Any], Callable[[Any], None] | None, Callable[[BaseException], None] | None]


class BackgroundExecutor:
    """One worker thread; results come back on the Kivy Clock.

    ``manual=True`` (tests): jobs wait until ``drain()`` runs them on the calling
    thread; their callbacks are still delivered through the Clock, so the caller
    pumps frames afterwards exactly as the real loop would.
    """

    def __init__(self, manual: bool = False) -> None:
        self.manual = manual
        self._jobs: deque[Job] = deque()
        self._lock = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Queue ``work``; ``on_done(result)`` / ``on_error(exc)`` follow on the UI thread."""
        with self._lock:
            if self._stopping:
                log.warning("executor stopped; job dropped")
                return
            self._jobs.append((work, on_done, on_error))
            if not self.manual and self._thread is None:
                # Started on first use: before the first frame it would compete for the GIL.
                self._thread = threading.Thread(target=self._loop, name="kiosk-worker", daemon=True)
                self._thread.start()
            self._lock.notify()

    @property
    def pending(self) -> int:
        return len(self._jobs)

    def drain(self, limit: int = 1000) -> int:
        """Manual mode: run queued jobs (and jobs they queue) now; how many ran."""
        ran = 0
        while ran < limit:
            with self._lock:
                if not self._jobs:
                    break
                job = self._jobs.popleft()
            self._execute(job)
            ran += 1
        return ran

    def stop(self, timeout: float = 2.0) -> None:
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while True:
            with self._lock:
                while not self._jobs and not self._stopping:
                    self._lock.wait()
                if self._stopping:
                    return
                job = self._jobs.popleft()
            self._execute(job)

    @staticmethod
    def _execute(job: Job) -> None:
        work, on_done, on_error = job
        try:
            result = work()
        except Exception as exc:  # reported on the UI thread as a plain message, never a traceback
            log.exception("background job failed")
            if on_error is not None:
                Clock.schedule_once(lambda _dt, e=exc: on_error(e), 0)
            return
        if on_done is not None:
            Clock.schedule_once(lambda _dt: on_done(result), 0)


def load_default_catalogue() -> Any:
    """The active catalogue (last good copy if the file is bad): an ActiveCatalogue."""
    from bianmin.catalogue_source import load_active_catalogue

    return load_active_catalogue()


def make_speaker(config: Config) -> Speaker | None:
    """A Speaker when speech is enabled and espeak-ng is installed; None hides 朗读."""
    if not config.kiosk.speech:
        return None
    speaker = Speaker()
    return speaker if speaker.available else None


@dataclass
class LoadedCatalogue:
    """What a catalogue load produced (catalogue None: no usable catalogue)."""

    catalogue: Any = None  # bianmin.domain.catalogue.Catalogue
    search: Any = None  # bianmin.domain.search.CatalogueSearch
    source: str = ""
    warning: Any = None  # bianmin.catalogue_source.CatalogueWarning, or a crash text


def load_catalogue(loader: Callable[[], Any]) -> LoadedCatalogue:
    """Parse the catalogue and build its search index (slow: runs on the executor)."""
    try:
        active = loader()
        loaded = LoadedCatalogue(active.catalogue, None, str(active.source or ""), active.warning)
        if loaded.catalogue is not None:
            # Readings come from the data directory's cache: pypinyin (~50 MB, most of
            # a second) is imported only when the catalogue has new texts.
            from bianmin.catalogue_source import build_search

            loaded.search = build_search(loaded.catalogue)
        return loaded
    except Exception as exc:  # a bad catalogue must never take the kiosk down
        log.exception("catalogue could not be loaded")
        return LoadedCatalogue(warning=f"{type(exc).__name__}: {exc}")


class KioskRuntime:
    """The kiosk's services, created once per process and handed to the app."""

    def __init__(
        self,
        config: Config,
        store: LocalStore | None = None,
        *,
        executor: BackgroundExecutor | None = None,
        catalogue_loader: Callable[[], Any] | None = None,
        speaker: Speaker | None | bool = True,
    ) -> None:
        self.config = config
        self.store = store or LocalStore()
        self.executor = executor or BackgroundExecutor()
        self.catalogue_loader = catalogue_loader or load_default_catalogue
        # True: the configured speaker (None when speech is off or espeak-ng is missing).
        self.speaker: Speaker | None = make_speaker(config) if speaker is True else (speaker or None)
        self.printer: PrintService | None = None
        self.sync_worker = None  # server_client.worker.SyncWorker when [server] url and token are set
        self._queue: QueueService | None = None
        self._pin_guard: PinGuard | None = None

    # ----- background work -----------------------------------------------------------
    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``work`` off the UI thread; its result (or error) comes back on the Clock."""
        self.executor.run(work, on_done, on_error)

    # ----- services ------------------------------------------------------------------
    @property
    def queue(self) -> QueueService:
        """The queue service, created on first use (tests may replace it)."""
        if self._queue is None:
            from bianmin.local.queue import QueueService

            self._queue = QueueService(self.store, self.config)
        return self._queue

    @queue.setter
    def queue(self, service: QueueService | None) -> None:
        self._queue = service

    @property
    def pin_guard(self) -> PinGuard:
        """The staff PIN check, created on first use (tests may replace it)."""
        if self._pin_guard is None:
            from bianmin.local.staff_pin import PinGuard

            self._pin_guard = PinGuard(self.store, self.config.kiosk.staff_pin_hash)
        return self._pin_guard

    @pin_guard.setter
    def pin_guard(self, guard: PinGuard | None) -> None:
        self._pin_guard = guard

    def start_printer(self, listener: Callable[[Any], None]) -> None:
        """The print service (its import and schema check cost ~50 ms: after the first frame)."""
        from printer.service import PrintService

        if self.printer is None:
            self.printer = PrintService(self.config.printer, self.store, self.config.room)
            self.printer.add_listener(listener)
        self.printer.start()

    def start_sync(self, listener: Callable[[Any], None]) -> bool:
        """Start uploading when a server is configured; False when there is none."""
        server = self.config.server
        if not (server.url and server.device_token):
            return False
        from server_client.commands import worker_from_config

        # the same worker as `bianmin kiosk sync`
        self.sync_worker = worker_from_config(self.config, self.store, listener=listener)
        self.sync_worker.start()
        return True

    def pending_uploads(self) -> int:
        from bianmin.local import outbox

        return outbox.pending_count(self.store)

    def request_sync(self) -> None:
        """Features call this after committing a record: upload soon, without waiting."""
        if self.sync_worker is not None:
            self.sync_worker.wake()

    def stop(self) -> None:
        if self.printer is not None:
            self.printer.stop(timeout=2.0)
        if self.sync_worker is not None:
            self.sync_worker.stop(timeout=2.0)
        self.executor.stop(timeout=2.0)
