"""The print queue: jobs committed to the local store first, printed by one worker thread.

``submit`` returns as soon as the job is committed (never waits for the printer),
so a paper jam or an unplugged cable never blocks a screen and never loses a slip.
The worker sends jobs in order. A job is marked printed only after its bytes were
written and the printer (where the link can tell, ``DLE EOT``) reports it can
print; otherwise it stays queued and is retried with backoff (0.5 s doubling to
30 s). Queued jobs survive a restart. A fault can at worst print a slip twice,
never lose it.

Listeners get a ``PrinterState`` from the worker thread (the kiosk hands it to
the Kivy thread with ``Clock.schedule_once``).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from sqlite3 import Connection

from bianmin.config import PrinterConfig, RoomConfig
from bianmin.i18n import DEFAULT_LANGUAGE
from bianmin.store import LocalStore
from printer.errors import LinkError, PrinterError
from printer.links import Link, make_link
from printer.send import StatusError, send_slip
from printer.slips import ReceiptSlip, Slip, slip_from_dict, to_dict
from printer.status import PrinterState
from printer.uri import parse_uri

log = logging.getLogger(__name__)

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS print_jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        slip TEXT NOT NULL,
        lang TEXT NOT NULL DEFAULT 'zh_CN',
        status TEXT NOT NULL DEFAULT 'queued',
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        reprint_of INTEGER,
        created_at TEXT NOT NULL,
        printed_at TEXT,
        preview_path TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX IF NOT EXISTS print_jobs_status ON print_jobs(status, id)",
]
# Job statuses: queued → printed; failed (cannot be rendered), expired (stale ticket), cancelled.
TICKET_MAX_AGE = timedelta(hours=3)  # a queue number printed hours later only confuses


@dataclass(frozen=True)
class PrintJob:
    id: int
    kind: str
    status: str
    attempts: int
    last_error: str
    created_at: datetime
    printed_at: datetime | None
    reprint_of: int | None
    lang: str
    preview_path: str
    slip_data: dict

    def slip(self) -> Slip:
        return slip_from_dict(self.slip_data)

    @classmethod
    def from_row(cls, row) -> PrintJob:  # noqa: ANN001 - sqlite3.Row
        return cls(
            id=row["id"], kind=row["kind"], status=row["status"], attempts=row["attempts"],
            last_error=row["last_error"], created_at=datetime.fromisoformat(row["created_at"]),
            printed_at=datetime.fromisoformat(row["printed_at"]) if row["printed_at"] else None,
            reprint_of=row["reprint_of"], lang=row["lang"], preview_path=row["preview_path"],
            slip_data=json.loads(row["slip"]),
        )


class JobNotFound(KeyError):
    pass


Listener = Callable[[PrinterState], None]


class PrintService:
    """Persisted print queue plus the worker thread that empties it."""

    def __init__(self, config: PrinterConfig, store: LocalStore, room: RoomConfig | None = None, *,
                 lang: str = DEFAULT_LANGUAGE, retry_delays: tuple[float, float] = (0.5, 30.0),
                 idle_probe: float = 60.0, link_factory: Callable[..., Link] = make_link) -> None:
        self.config = config
        self.store = store
        self.room = room
        self.lang = lang
        self.retry_delays = retry_delays
        self.idle_probe = idle_probe
        self._link_factory = link_factory
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._retry = threading.Event()
        self._thread: threading.Thread | None = None
        self._busy = False
        self._delay = retry_delays[0]
        self._config_error: PrinterError | None = None
        try:
            parse_uri(config.uri)
        except PrinterError as exc:
            self._config_error = exc  # shown as the printer state; the kiosk still runs
        store.ensure_schema("print_jobs", 1, SCHEMA)
        self._state = PrinterState(pending=self.pending_count())

    # ----- lifecycle ----------------------------------------------------------------
    def start(self) -> None:
        if self._thread and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="print-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        self._retry.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    # ----- jobs ---------------------------------------------------------------------
    def _complete(self, slip: Slip) -> Slip:
        """Fill the room's name and complaint phone where the caller left them empty."""
        if self.room is None:
            return slip
        changes: dict[str, str] = {}
        if not getattr(slip, "room_name", ""):
            changes["room_name"] = self.room.name
        if isinstance(slip, ReceiptSlip) and not slip.complaint_phone:
            changes["complaint_phone"] = self.room.complaint_phone
        return dataclasses.replace(slip, **changes) if changes else slip

    def enqueue(self, conn: Connection, slip: Slip, lang: str | None = None, reprint_of: int | None = None) -> int:
        """Add a job inside the caller's transaction (the record and its slip commit together);
        call ``wake()`` after the commit."""
        slip = self._complete(slip)
        cur = conn.execute(
            "INSERT INTO print_jobs(kind, slip, lang, created_at, reprint_of) VALUES (?, ?, ?, ?, ?)",
            (slip.kind, json.dumps(to_dict(slip), ensure_ascii=False), lang or self.lang,
             datetime.now().isoformat(timespec="seconds"), reprint_of),
        )
        return int(cur.lastrowid)

    def submit(self, slip: Slip, lang: str | None = None) -> int:
        """Commit a print job and return its id at once; the worker prints it."""
        with self.store.transaction() as conn:
            job_id = self.enqueue(conn, slip, lang)
        self.wake()
        return job_id

    def reprint(self, job_id: int) -> int:
        """Queue a new copy of any earlier job (the villager lost the slip, the paper jammed)."""
        original = self.job(job_id)
        if original is None:
            raise JobNotFound(job_id)
        with self.store.transaction() as conn:
            new_id = self.enqueue(conn, original.slip(), original.lang, reprint_of=job_id)
        self.wake()
        return new_id

    def cancel(self, job_id: int) -> bool:
        """Staff may drop a queued job (e.g. a test print); printed jobs stay as they are."""
        with self.store.transaction() as conn:
            cur = conn.execute("UPDATE print_jobs SET status = 'cancelled' WHERE id = ? AND status = 'queued'",
                               (job_id,))
        self.wake()
        return cur.rowcount == 1

    def wake(self) -> None:
        self._wake.set()

    def retry_now(self) -> None:
        """Staff pressed 'retry' (paper loaded): skip the remaining backoff."""
        self._delay = self.retry_delays[0]
        self._retry.set()
        self.wake()

    def job(self, job_id: int) -> PrintJob | None:
        row = self.store.connect().execute("SELECT * FROM print_jobs WHERE id = ?", (job_id,)).fetchone()
        return PrintJob.from_row(row) if row else None

    def jobs(self, limit: int = 20) -> list[PrintJob]:
        rows = self.store.connect().execute("SELECT * FROM print_jobs ORDER BY id DESC LIMIT ?", (limit,))
        return [PrintJob.from_row(r) for r in rows]

    def last_job_id(self) -> int | None:
        row = self.store.connect().execute("SELECT MAX(id) AS id FROM print_jobs").fetchone()
        return row["id"] if row and row["id"] is not None else None

    def pending_count(self) -> int:
        row = self.store.connect().execute("SELECT COUNT(*) AS n FROM print_jobs WHERE status = 'queued'").fetchone()
        return int(row["n"])

    # ----- state --------------------------------------------------------------------
    @property
    def state(self) -> PrinterState:
        return self._state

    def add_listener(self, callback: Listener) -> None:
        with self._lock:
            self._listeners.append(callback)

    def remove_listener(self, callback: Listener) -> None:
        with self._lock:
            if callback in self._listeners:
                self._listeners.remove(callback)

    def _set_state(self, kind: str | None = None, key: str | None = None, detail: str | None = None,
                   args: dict[str, object] | None = None) -> None:
        old = self._state
        new = PrinterState(
            kind=kind if kind is not None else old.kind,  # type: ignore[arg-type]
            key=key if key is not None else old.key,
            detail=detail if detail is not None else old.detail,
            pending=self.pending_count(),
            args=tuple(sorted((k, str(v)) for k, v in args.items())) if args is not None
            else (old.args if key is None else ()),
        )
        if new == old:
            return
        self._state = new
        with self._lock:
            listeners = list(self._listeners)
        for callback in listeners:
            try:
                callback(new)
            except Exception:  # a listener's bug must not stop printing
                log.exception("printer state listener failed")

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """True once no job is queued or being printed (for tests and benches)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._busy and self.pending_count() == 0:
                return True
            time.sleep(0.01)
        return False

    # ----- worker -------------------------------------------------------------------
    def _next_job(self) -> PrintJob | None:
        row = self.store.connect().execute(
            "SELECT * FROM print_jobs WHERE status = 'queued' ORDER BY id LIMIT 1").fetchone()
        return PrintJob.from_row(row) if row else None

    def _finish(self, job_id: int, status: str, error: str = "", preview: str = "") -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE print_jobs SET status = ?, last_error = ?, printed_at = ?, preview_path = ?, "
                "attempts = attempts + 1 WHERE id = ? AND status = 'queued'",
                (status, error, datetime.now().isoformat(timespec="seconds") if status == "printed" else None,
                 preview, job_id),
            )

    def _note_failure(self, job_id: int, error: str) -> None:
        with self.store.transaction() as conn:
            conn.execute("UPDATE print_jobs SET attempts = attempts + 1, last_error = ? WHERE id = ?",
                         (error, job_id))

    def _backoff(self) -> None:
        delay = self._delay
        self._delay = min(self._delay * 2, self.retry_delays[1])
        # A new submit must not cut the backoff short (the printer is still down);
        # stop() and retry_now() do.
        self._retry.clear()
        self._retry.wait(delay)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                worked = self._step()
            except Exception:  # keep the worker alive whatever happens (e.g. disk full)
                log.exception("print worker step failed")
                self._set_state("error", "printer.state.error", "internal")
                self._backoff()
                continue
            if not worked:
                self._set_state()
                self._wake.wait(self.idle_probe if self.idle_probe > 0 else None)
                self._wake.clear()
                if not self._stop.is_set() and self.idle_probe > 0 and self._next_job() is None:
                    self._probe()

    def _link_failed(self, exc: LinkError) -> None:
        """No connection / no answer: the villager sees 'slips are saved', staff see the detail."""
        key = exc.key if exc.key.startswith("printer.state.") else "printer.state.offline"
        self._set_state("offline", key, exc.message(self.lang), {})

    def _probe(self) -> None:
        """While idle, look at the printer now and then so the staff panel shows paper out early."""
        if self._config_error is not None:
            return
        try:
            with self._link_factory(self.config.uri, self.config.timeout) as link:
                status = link.query_status()
        except LinkError as exc:
            self._link_failed(exc)
            return
        if status is not None:
            kind, key = status.kind_and_key()
            self._set_state(kind, key, "")

    def _step(self) -> bool:
        """Print the oldest queued job; False when there is none."""
        if self._config_error is not None:
            err = self._config_error
            self._set_state("error", err.key, err.message(self.lang), err.fmt)
            if self.pending_count() == 0:
                return False
            self._backoff()
            return True
        job = self._next_job()
        if job is None:
            return False
        self._busy = True
        try:
            self._set_state()
            if job.kind == "ticket" and datetime.now() - job.created_at > TICKET_MAX_AGE:
                self._finish(job.id, "expired", "ticket too old to print")
                return True
            try:
                slip = job.slip()
            except (KeyError, TypeError, ValueError) as exc:
                self._finish(job.id, "failed", f"bad slip data: {exc}")
                return True
            try:
                with self._link_factory(self.config.uri, self.config.timeout) as link:
                    result = send_slip(link, slip, self.config.width, self.config.mode, job.lang,
                                       name=f"{job.id:06d}-{job.kind}")
            except StatusError as exc:
                kind, key = exc.status.kind_and_key()
                self._note_failure(job.id, key)
                self._set_state(kind, key, kind)
                self._backoff()
                return True
            except LinkError as exc:
                self._note_failure(job.id, exc.message(self.lang))
                self._link_failed(exc)
                self._backoff()
                return True
            except PrinterError as exc:  # configuration-like problem: keep the job, show the message
                self._note_failure(job.id, exc.message(self.lang))
                self._set_state("error", exc.key, exc.message(self.lang), exc.fmt)
                self._backoff()
                return True
            except Exception as exc:  # a slip that cannot be rendered must not block the queue
                log.exception("print job %s failed", job.id)
                self._finish(job.id, "failed", repr(exc))
                self._set_state("error", "printer.state.error", repr(exc))
                return True
            self._finish(job.id, "printed", preview=str(result.preview or ""))
            self._delay = self.retry_delays[0]
            if result.status is not None:
                kind, key = result.status.kind_and_key()
                self._set_state(kind, key, "")
            else:
                self._set_state("ready", "printer.state.ready", "")
            return True
        finally:
            self._busy = False
