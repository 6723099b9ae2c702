"""Queue numbers (取号排队): lines, tickets, calling — offline, UI-free.

A ticket is committed to the LocalStore and marked dirty for upload in the same
transaction before anything is printed, so a printer problem never loses it.

Choices that keep the queue fair when the world misbehaves:

- ``service_day`` is the clock's local date; numbers restart at 001 each day
  because they are ``MAX(number) + 1`` within (day, line). History is never deleted.
- Order never depends on wall-clock times: the waiting order is the ticket number
  and "last called" is a monotonic ``call_seq`` counter, so a clock set backwards
  (NTP correction, a flat RTC battery) cannot reorder or duplicate numbers.
- Durations that come out negative or absurd because the clock jumped are left
  out of the wait estimate.
- A request token makes ``take_number`` idempotent: a double tap that reaches the
  logic twice returns the first ticket instead of issuing a second one.
- Calling the next number records the previous one at that line as served (staff
  only press "no-show" when someone did not come), so every call yields a duration.
- "Skip to a number" calls that number now; earlier waiting numbers keep their
  place and are called next, so nobody loses a turn because staff jumped ahead.
"""

from __future__ import annotations

import sqlite3
import statistics
import uuid as uuidlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol

from bianmin.config import Config, QueueLineConfig, parse_span
from bianmin.domain.calendar import WorkingCalendar
from bianmin.domain.wire import QueueTicketRecord
from bianmin.local import outbox
from bianmin.local.columns import ISO, PLAIN, ColumnMap
from bianmin.store import LocalStore, register_schema

KIND = "queue_ticket"
RECENT_SAMPLES = 20  # served durations the estimate looks at
MIN_SAMPLES = 3  # fewer than this: use the line's default service time
MAX_PLAUSIBLE = timedelta(hours=3)  # longer "services" are a clock jump or a forgotten ticket
LOOKAHEAD_DAYS = 60  # how far next_opening searches (covers the Spring Festival break)

Clock = Callable[[], datetime]

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS queue_tickets (
        uuid TEXT PRIMARY KEY,
        village_code TEXT NOT NULL,
        line TEXT NOT NULL,
        number INTEGER NOT NULL,
        service_day TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'waiting',
        issued_at TEXT NOT NULL,
        called_at TEXT,
        served_at TEXT,
        no_show_at TEXT,
        call_seq INTEGER,
        call_count INTEGER NOT NULL DEFAULT 0,
        service_window TEXT NOT NULL DEFAULT '',
        item_code TEXT,
        request_token TEXT UNIQUE,
        updated_at TEXT NOT NULL,
        UNIQUE (service_day, line, number)
    )""",
    "CREATE INDEX IF NOT EXISTS queue_tickets_day_line ON queue_tickets(service_day, line, status)",
    "CREATE INDEX IF NOT EXISTS queue_tickets_line_served ON queue_tickets(line, served_at)",
]
register_schema("queue", 1, SCHEMA)

WAITING, CALLED, SERVED, NO_SHOW = "waiting", "called", "served", "no_show"


def local_now() -> datetime:
    """The default clock: aware local time (stored with its UTC offset)."""
    return datetime.now().astimezone()


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


# ----- lines ------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueLine:
    prefix: str
    label: str
    window: str
    hours: tuple[tuple[time, time], ...]
    weekdays: frozenset[int]
    daily_cap: int
    items: frozenset[str]
    topics: tuple[str, ...]
    default_service_minutes: int = 5

    @classmethod
    def from_config(cls, cfg: QueueLineConfig) -> QueueLine:
        return cls(
            prefix=cfg.prefix,
            label=cfg.label,
            window=cfg.window,
            hours=tuple(parse_span(s) for s in cfg.hours),
            weekdays=frozenset(cfg.weekdays),
            daily_cap=cfg.daily_cap,
            items=frozenset(cfg.items),
            topics=tuple(cfg.topics),
            default_service_minutes=cfg.default_service_minutes,
        )


class _ItemLike(Protocol):
    code: str
    topics: list[str]


def format_number(prefix: str, number: int) -> str:
    """A012."""
    return f"{prefix}{number:03d}"


_DIGITS = "零一二三四五六七八九"


def spoken_number(prefix: str, number: int, lang: str = "zh_CN") -> str:
    """How the number is said: 'A 零一二' — digit by digit, like the printed ticket."""
    digits = f"{number:03d}"
    if lang == "zh_CN":
        return f"{prefix} {''.join(_DIGITS[int(d)] for d in digits)}"
    return f"{prefix} {' '.join(digits)}"


# ----- results ----------------------------------------------------------------------


@dataclass(frozen=True)
class Ticket:
    uuid: str
    line: str
    number: int
    service_day: date
    status: str
    issued_at: datetime
    called_at: datetime | None
    served_at: datetime | None
    no_show_at: datetime | None
    window: str
    item_code: str | None
    call_count: int

    @property
    def number_text(self) -> str:
        return format_number(self.line, self.number)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Ticket:
        return cls(
            uuid=row["uuid"],
            line=row["line"],
            number=row["number"],
            service_day=date.fromisoformat(row["service_day"]),
            status=row["status"],
            issued_at=datetime.fromisoformat(row["issued_at"]),
            called_at=_parse(row["called_at"]),
            served_at=_parse(row["served_at"]),
            no_show_at=_parse(row["no_show_at"]),
            window=row["service_window"],
            item_code=row["item_code"],
            call_count=row["call_count"],
        )


@dataclass(frozen=True)
class TakeResult:
    """take_number's answer: a ticket, or a message key (+ when to come back)."""

    ticket: Ticket | None = None
    people_ahead: int = 0
    estimated_wait_minutes: int = 0
    message_key: str = ""  # queue.closed / queue.cap_reached / queue.unknown_line
    next_opening: datetime | None = None
    repeated: bool = False  # the same request token was seen: this is the first tap's ticket

    @property
    def ok(self) -> bool:
        return self.ticket is not None


@dataclass(frozen=True)
class CallResult:
    """A staff action's answer: the ticket now at the window (if any) and a message key."""

    ticket: Ticket | None = None
    message_key: str = ""  # queue.none_waiting / queue.not_found / queue.nobody_called
    finished: Ticket | None = None  # the ticket this action closed (served / no-show)

    @property
    def ok(self) -> bool:
        return not self.message_key


@dataclass(frozen=True)
class LineStatus:
    line: QueueLine
    waiting: int
    estimated_wait_minutes: int
    open_now: bool
    next_opening: datetime | None
    issued_today: int
    current: Ticket | None


# ----- the service ------------------------------------------------------------------


class QueueService:
    """The kiosk's queue over a LocalStore; every public method is one transaction."""

    def __init__(self, store: LocalStore, config: Config, clock: Clock = local_now) -> None:
        self.store = store
        self.config = config
        self.clock = clock
        self.village_code = config.room.code
        self.lines: dict[str, QueueLine] = {c.prefix: QueueLine.from_config(c) for c in config.queue.lines}
        self.calendar = WorkingCalendar.of(config.holidays, config.workdays)
        outbox.ensure_schema(store)
        store.ensure_schema("queue", 1, SCHEMA)

    # ----- lines and hours ------------------------------------------------------------
    def line(self, prefix: str) -> QueueLine | None:
        return self.lines.get(prefix)

    def line_for_item(self, item: _ItemLike | str) -> QueueLine | None:
        """The line that handles a service item: listed by code first, else by topic."""
        code = item if isinstance(item, str) else item.code
        for line in self.lines.values():
            if code in line.items:
                return line
        topics = [] if isinstance(item, str) else list(item.topics)
        for topic in topics:
            for line in self.lines.values():
                if topic in line.topics:
                    return line
        return None

    def is_open_day(self, line: QueueLine, day: date) -> bool:
        if day in self.calendar.workdays:
            return True  # 调休: a make-up working weekend day
        if day in self.calendar.holidays:
            return False
        return day.isoweekday() in line.weekdays

    def is_open(self, line: QueueLine, moment: datetime) -> bool:
        if not self.is_open_day(line, moment.date()):
            return False
        now_t = moment.time().replace(tzinfo=None)
        return any(start <= now_t < end for start, end in line.hours)

    def next_opening(self, line: QueueLine, after: datetime, skip_today: bool = False) -> datetime | None:
        """The next span start strictly after ``after`` (on a later day if ``skip_today``)."""
        first = after.date() + timedelta(days=1 if skip_today else 0)
        for offset in range(LOOKAHEAD_DAYS):
            day = first + timedelta(days=offset)
            if not self.is_open_day(line, day):
                continue
            for start, _end in sorted(line.hours):
                moment = datetime.combine(day, start, tzinfo=after.tzinfo)
                if moment > after:
                    return moment
        return None

    # ----- taking a number ------------------------------------------------------------
    def take_number(self, prefix: str, request_token: str | None = None, item_code: str | None = None) -> TakeResult:
        """Issue the next number of a line; atomic with its outbox entry."""
        line = self.lines.get(prefix)
        if line is None:
            return TakeResult(message_key="queue.unknown_line")
        now = self.clock()
        day = now.date()
        with self.store.transaction() as conn:
            if request_token:
                row = conn.execute("SELECT * FROM queue_tickets WHERE request_token = ?", (request_token,)).fetchone()
                if row is not None:
                    ticket = Ticket.from_row(row)
                    ahead = self._ahead(conn, ticket)
                    return TakeResult(ticket, ahead, self._estimate(conn, line, ahead), repeated=True)
            if not self.is_open(line, now):
                return TakeResult(message_key="queue.closed", next_opening=self.next_opening(line, now))
            issued = conn.execute(
                "SELECT COUNT(*), COALESCE(MAX(number), 0) FROM queue_tickets WHERE service_day = ? AND line = ?",
                (day.isoformat(), prefix),
            ).fetchone()
            count, highest = issued[0], issued[1]
            if count >= line.daily_cap or highest >= 999:
                return TakeResult(
                    message_key="queue.cap_reached", next_opening=self.next_opening(line, now, skip_today=True)
                )
            ticket_uuid = str(uuidlib.uuid4())
            COLUMNS.insert(conn, {
                "uuid": ticket_uuid, "village_code": self.village_code, "line": prefix, "number": highest + 1,
                "service_day": day, "issued_at": _iso(now), "window": line.window, "item_code": item_code,
                "updated_at": _iso(now),
            }, status=WAITING, request_token=request_token)
            outbox.mark_dirty(conn, KIND, ticket_uuid)
            ticket = self._get(conn, ticket_uuid)
            ahead = self._ahead(conn, ticket)
            return TakeResult(ticket, ahead, self._estimate(conn, line, ahead))

    # ----- reading ----------------------------------------------------------------------
    def ticket(self, ticket_uuid: str) -> Ticket | None:
        row = self.store.connect().execute("SELECT * FROM queue_tickets WHERE uuid = ?", (ticket_uuid,)).fetchone()
        return Ticket.from_row(row) if row else None

    def today(self) -> date:
        return self.clock().date()

    def waiting(self, prefix: str) -> list[Ticket]:
        """Today's waiting tickets of a line, in calling order."""
        rows = self.store.connect().execute(
            "SELECT * FROM queue_tickets WHERE service_day = ? AND line = ? AND status = ? ORDER BY number",
            (self.today().isoformat(), prefix, WAITING),
        ).fetchall()
        return [Ticket.from_row(r) for r in rows]

    def people_ahead(self, ticket: Ticket) -> int:
        return self._ahead(self.store.connect(), ticket)

    def estimated_wait_minutes(self, prefix: str, people_ahead: int) -> int:
        line = self.lines[prefix]
        return self._estimate(self.store.connect(), line, people_ahead)

    def service_minutes(self, prefix: str) -> float:
        """The line's typical service time: median of recent served durations, else its default."""
        return self._service_minutes(self.store.connect(), self.lines[prefix])

    def current(self, prefix: str) -> Ticket | None:
        """The ticket called last at this line today (still at the window or already finished)."""
        row = self.store.connect().execute(
            "SELECT * FROM queue_tickets WHERE service_day = ? AND line = ? AND call_seq IS NOT NULL"
            " ORDER BY call_seq DESC LIMIT 1",
            (self.today().isoformat(), prefix),
        ).fetchone()
        return Ticket.from_row(row) if row else None

    def now_serving(self) -> list[Ticket]:
        """Per line, the number called last today (line order as configured)."""
        result = []
        for prefix in self.lines:
            ticket = self.current(prefix)
            if ticket is not None and ticket.status in (CALLED, SERVED):
                result.append(ticket)
        return result

    def status(self) -> list[LineStatus]:
        """What the take-a-number screen shows for every line."""
        now = self.clock()
        conn = self.store.connect()
        out = []
        for line in self.lines.values():
            waiting, issued = conn.execute(
                "SELECT SUM(status = 'waiting'), COUNT(*) FROM queue_tickets WHERE service_day = ? AND line = ?",
                (now.date().isoformat(), line.prefix),
            ).fetchone()
            waiting = int(waiting or 0)
            open_now = self.is_open(line, now) and issued < line.daily_cap
            nxt = None
            if not open_now:
                nxt = self.next_opening(line, now, skip_today=issued >= line.daily_cap)
            out.append(LineStatus(line, waiting, self._estimate(conn, line, waiting), open_now, nxt, issued,
                                  self.current(line.prefix)))
        return out

    # ----- staff actions ------------------------------------------------------------------
    def call_next(self, prefix: str) -> CallResult:
        """Finish whoever is at the window (served) and call the lowest waiting number."""
        with self.store.transaction() as conn:
            row = conn.execute(
                "SELECT uuid FROM queue_tickets WHERE service_day = ? AND line = ? AND status = ?"
                " ORDER BY number LIMIT 1",
                (self.today().isoformat(), prefix, WAITING),
            ).fetchone()
            if row is None:
                return CallResult(message_key="queue.none_waiting")
            return self._call(conn, prefix, row["uuid"])

    def skip_to(self, prefix: str, number: int) -> CallResult:
        """Call a given waiting number now; earlier waiting numbers keep their place."""
        with self.store.transaction() as conn:
            row = conn.execute(
                "SELECT uuid FROM queue_tickets WHERE service_day = ? AND line = ? AND number = ? AND status = ?",
                (self.today().isoformat(), prefix, number, WAITING),
            ).fetchone()
            if row is None:
                return CallResult(message_key="queue.not_found")
            return self._call(conn, prefix, row["uuid"])

    def recall(self, prefix: str) -> CallResult:
        """Call the ticket at the window again (it keeps its first called time)."""
        with self.store.transaction() as conn:
            current = self._at_window(conn, prefix)
            if current is None:
                return CallResult(message_key="queue.nobody_called")
            now = self.clock()
            conn.execute(
                "UPDATE queue_tickets SET call_count = call_count + 1, updated_at = ? WHERE uuid = ?",
                (self._stamp(conn, current.uuid, now), current.uuid),
            )
            outbox.mark_dirty(conn, KIND, current.uuid)
            return CallResult(self._get(conn, current.uuid))

    def mark_served(self, prefix: str) -> CallResult:
        return self._finish(prefix, SERVED)

    def mark_no_show(self, prefix: str) -> CallResult:
        return self._finish(prefix, NO_SHOW)

    # ----- internals ------------------------------------------------------------------------
    def _get(self, conn: sqlite3.Connection, ticket_uuid: str) -> Ticket:
        return Ticket.from_row(conn.execute("SELECT * FROM queue_tickets WHERE uuid = ?", (ticket_uuid,)).fetchone())

    def _at_window(self, conn: sqlite3.Connection, prefix: str) -> Ticket | None:
        row = conn.execute(
            "SELECT * FROM queue_tickets WHERE service_day = ? AND line = ? AND status = ?"
            " ORDER BY call_seq DESC LIMIT 1",
            (self.today().isoformat(), prefix, CALLED),
        ).fetchone()
        return Ticket.from_row(row) if row else None

    def _call(self, conn: sqlite3.Connection, prefix: str, ticket_uuid: str) -> CallResult:
        now = self.clock()
        finished = None
        for row in conn.execute(
            "SELECT uuid FROM queue_tickets WHERE service_day = ? AND line = ? AND status = ?",
            (self.today().isoformat(), prefix, CALLED),
        ).fetchall():
            self._set_status(conn, row["uuid"], SERVED, now)
            finished = self._get(conn, row["uuid"])
        seq = conn.execute("SELECT COALESCE(MAX(call_seq), 0) + 1 FROM queue_tickets").fetchone()[0]
        line = self.lines.get(prefix)
        conn.execute(
            "UPDATE queue_tickets SET status = ?, called_at = ?, call_seq = ?, call_count = call_count + 1,"
            " service_window = ?, updated_at = ? WHERE uuid = ?",
            (CALLED, _iso(now), seq, line.window if line else "", self._stamp(conn, ticket_uuid, now), ticket_uuid),
        )
        outbox.mark_dirty(conn, KIND, ticket_uuid)
        return CallResult(self._get(conn, ticket_uuid), finished=finished)

    def _finish(self, prefix: str, status: str) -> CallResult:
        with self.store.transaction() as conn:
            current = self._at_window(conn, prefix)
            if current is None:
                return CallResult(message_key="queue.nobody_called")
            self._set_status(conn, current.uuid, status, self.clock())
            done = self._get(conn, current.uuid)
            return CallResult(done, finished=done)

    def _set_status(self, conn: sqlite3.Connection, ticket_uuid: str, status: str, now: datetime) -> None:
        column = {SERVED: "served_at", NO_SHOW: "no_show_at"}[status]
        conn.execute(
            f"UPDATE queue_tickets SET status = ?, {column} = ?, updated_at = ? WHERE uuid = ?",
            (status, _iso(now), self._stamp(conn, ticket_uuid, now), ticket_uuid),
        )
        outbox.mark_dirty(conn, KIND, ticket_uuid)

    def _stamp(self, conn: sqlite3.Connection, ticket_uuid: str, now: datetime) -> str:
        """A new updated_at that is later than the last one even if the clock went back.

        The server keeps the copy with the newest updated_at, so an update stamped
        earlier than the one before it would be silently dropped there.
        """
        row = conn.execute("SELECT updated_at FROM queue_tickets WHERE uuid = ?", (ticket_uuid,)).fetchone()
        previous = datetime.fromisoformat(row["updated_at"])
        return _iso(max(now, previous + timedelta(seconds=1)))

    def _ahead(self, conn: sqlite3.Connection, ticket: Ticket) -> int:
        if ticket.status != WAITING:
            return 0
        return int(conn.execute(
            "SELECT COUNT(*) FROM queue_tickets WHERE service_day = ? AND line = ? AND status = ? AND number < ?",
            (ticket.service_day.isoformat(), ticket.line, WAITING, ticket.number),
        ).fetchone()[0])

    def _service_minutes(self, conn: sqlite3.Connection, line: QueueLine) -> float:
        rows = conn.execute(
            "SELECT called_at, served_at FROM queue_tickets WHERE line = ? AND status = ? AND called_at IS NOT NULL"
            " ORDER BY call_seq DESC LIMIT ?",
            (line.prefix, SERVED, RECENT_SAMPLES),
        ).fetchall()
        samples = []
        for row in rows:
            span = datetime.fromisoformat(row["served_at"]) - datetime.fromisoformat(row["called_at"])
            if timedelta(0) < span <= MAX_PLAUSIBLE:
                samples.append(span.total_seconds() / 60)
        if len(samples) < MIN_SAMPLES:
            return float(line.default_service_minutes)
        return max(0.5, statistics.median(samples))

    def _estimate(self, conn: sqlite3.Connection, line: QueueLine, people_ahead: int) -> int:
        """Minutes until a villager with ``people_ahead`` waiting before them is called (rounded up)."""
        if people_ahead <= 0:
            return 0
        minutes = people_ahead * self._service_minutes(conn, line)
        return int(-(-minutes // 1))


# ----- upload -------------------------------------------------------------------------


# One map for the local row and the wire record (bianmin.local.columns).
COLUMNS = ColumnMap("queue_tickets", QueueTicketRecord, {
    "uuid": ("uuid", PLAIN), "village_code": ("village_code", PLAIN), "line": ("line", PLAIN),
    "number": ("number", PLAIN), "service_day": ("service_day", ISO), "issued_at": ("issued_at", ISO),
    "called_at": ("called_at", ISO), "served_at": ("served_at", ISO), "no_show_at": ("no_show_at", ISO),
    "window": ("service_window", PLAIN), "item_code": ("item_code", PLAIN), "updated_at": ("updated_at", ISO),
}, constant={"kind": KIND})
serialize = COLUMNS.serializer()  # the outbox serializer: the ticket as a wire dict (None if gone)


outbox.register_serializer(KIND, serialize)
