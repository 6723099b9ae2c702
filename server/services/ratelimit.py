"""Rate limits shared by every worker and every host: in the database, or in Redis when configured.

Why: the server runs as several stateless app servers (uvicorn workers, hosts behind
nginx) in front of one PostgreSQL. A counter in process memory would give each worker
its own budget; a count-then-check in two statements lets concurrent requests all
pass the check. Here every ``hit`` is ONE atomic statement that adds to the counter
and returns the new value, so 60 concurrent guesses against a limit of 10 get exactly
10 ``allowed`` decisions, whichever worker or host serves them.

API (for the short-code lookup, enrolment and the console's sign-in throttle)::

    limiter = request.app.state.limiter          # or server.api.deps.LimiterDep
    decision = limiter.hit("login:user:alice", limit=5, window=timedelta(minutes=15))
    if not decision.allowed:
        ...answer 429 / "try again in {decision.retry_after} s"
    ...do the guarded work...
    limiter.refund(decision)     # optional: the attempt should not count (e.g. it succeeded)
    decisions = limiter.hit_all([(key1, limit1, window1), (key2, ...)])   # several budgets in
                                 # order, one transaction; stops at the first refusal
    limiter.refund_all(decisions)
    limiter.peek(key, limit, window)   # the current decision without counting (a back-off check)
    limiter.reset(key)           # forget a key (e.g. the account's failures after a good password)

- ``hit(key, limit, window, cost=1) -> Decision`` counts ``cost`` in the current window of
  ``window`` (windows are aligned to the epoch, so all workers agree where one starts) and
  says whether the count is still within ``limit``. Refused hits are counted too.
- ``Decision``: ``allowed``, ``count``, ``limit``, ``retry_after`` (whole seconds until the
  window ends; send it as ``Retry-After``), and what ``refund`` needs.
- Keys are free text up to any length (long ones are hashed); prefix them by purpose
  (``lookup:``, ``enrol:``, ``login:``) so purposes never share a budget.
- Errors reaching the store raise ``LimiterUnavailable`` (the app answers 503): a limit
  that cannot be checked is not silently skipped.

Back-ends: ``DatabaseLimiter`` (table ``rate_limit_buckets``; an ``INSERT … ON CONFLICT DO
UPDATE … RETURNING`` on both PostgreSQL and SQLite, each in its own short transaction so
the count persists whatever the request does next) and ``RedisLimiter`` (one Lua script,
atomic in Redis). ``make_limiter(settings, engine)`` picks by ``BIANMIN_REDIS_URL``.

On SQLite, call ``hit`` before the request's session takes the write lock (``begin_write``):
the limiter writes on its own connection and would otherwise wait for the request itself.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import Connection, Engine, case, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from server.db import SQLITE_IMMEDIATE
from server.models import RateLimitBucket, utcnow

MAX_KEY = 200  # rate_limit_buckets.key
PRUNE_CHANCE = 0.002  # about one hit in 500 also deletes buckets from windows long gone
PRUNE_AFTER = timedelta(days=2)


class LimiterUnavailable(RuntimeError):
    """The limiter's store could not be reached; the request is refused (503), not let through."""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    count: int
    limit: int
    retry_after: int
    key: str = ""
    window_start: datetime | None = None
    cost: int = 1


class Limiter(Protocol):
    def hit(self, key: str, limit: int, window: timedelta, cost: int = 1) -> Decision: ...

    def hit_all(self, budgets: Sequence[tuple[str, int, timedelta]], cost: int = 1) -> list[Decision]: ...

    def refund_all(self, decisions: Sequence[Decision]) -> None: ...

    def peek(self, key: str, limit: int, window: timedelta) -> Decision: ...

    def refund(self, decision: Decision) -> None: ...

    def reset(self, key: str) -> None: ...


def store_key(key: str) -> str:
    if len(key) <= MAX_KEY:
        return key
    return key[:100] + "#" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def window_bounds(now: datetime, window: timedelta) -> tuple[datetime, datetime]:
    """The aligned window holding ``now``: every worker computes the same one."""
    size = max(1, int(window.total_seconds()))
    start = int(now.timestamp()) // size * size
    begin = datetime.fromtimestamp(start, UTC)
    return begin, begin + timedelta(seconds=size)


def _retry_after(end: datetime, now: datetime) -> int:
    return max(1, int((end - now).total_seconds() + 0.999))


class DatabaseLimiter:
    """Counters in ``rate_limit_buckets``, one row per key (the current window only)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._insert = sqlite_insert if engine.dialect.name == "sqlite" else pg_insert

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """A short transaction of its own. On PostgreSQL without waiting for the WAL flush: a crash
        may forget the last fraction of a second of counts, a fair price for not making every
        guarded request wait for a disk sync."""
        try:
            with self.engine.connect().execution_options(**{SQLITE_IMMEDIATE: True}) as conn:
                with conn.begin():
                    if self.engine.dialect.name == "postgresql":
                        conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
                    yield conn
        except SQLAlchemyError as exc:
            raise LimiterUnavailable(str(exc)) from exc

    def _upsert(self, key: str, start: datetime, cost: int):  # noqa: ANN202
        table = RateLimitBucket.__table__
        stale = table.c.window_start < start
        stmt = self._insert(table).values(key=store_key(key), window_start=start, count=cost)
        return stmt.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "count": case((stale, cost), else_=table.c.count + cost),
                "window_start": case((stale, start), else_=table.c.window_start),
            },
        ).returning(table.c.count)

    def hit(self, key: str, limit: int, window: timedelta, cost: int = 1) -> Decision:
        return self.hit_all([(key, limit, window)], cost)[0]

    def hit_all(self, budgets: Sequence[tuple[str, int, timedelta]], cost: int = 1) -> list[Decision]:
        """``hit`` each (key, limit, window) in order, in one transaction; stops after the first
        refusal, so budgets after it are not charged. Always lock keys in the same order."""
        now = utcnow()
        decisions = []
        with self._transaction() as conn:
            for key, limit, window in budgets:
                start, end = window_bounds(now, window)
                count = int(conn.execute(self._upsert(key, start, cost)).scalar_one())
                decisions.append(Decision(count <= limit, count, limit, _retry_after(end, now), key, start, cost))
                if count > limit:
                    break
            if random.random() < PRUNE_CHANCE:
                table = RateLimitBucket.__table__
                conn.execute(delete(table).where(table.c.window_start < now - PRUNE_AFTER))
        return decisions

    def peek(self, key: str, limit: int, window: timedelta) -> Decision:
        now = utcnow()
        start, end = window_bounds(now, window)
        table = RateLimitBucket.__table__
        try:
            with self.engine.connect() as conn:
                row = conn.execute(select(table.c.count, table.c.window_start)
                                   .where(table.c.key == store_key(key))).first()
        except SQLAlchemyError as exc:
            raise LimiterUnavailable(str(exc)) from exc
        count = int(row[0]) if row is not None and row[1] >= start else 0
        return Decision(count < limit, count, limit, _retry_after(end, now), key, start, 0)

    def refund(self, decision: Decision) -> None:
        self.refund_all([decision])

    def refund_all(self, decisions: Sequence[Decision]) -> None:
        """Give back what these hits counted (only in the window they counted in)."""
        table = RateLimitBucket.__table__
        wanted = [d for d in decisions if d.cost > 0 and d.window_start is not None]
        if not wanted:
            return
        with self._transaction() as conn:
            for d in wanted:
                conn.execute(update(table).where(table.c.key == store_key(d.key),
                                                 table.c.window_start == d.window_start,
                                                 table.c.count >= d.cost)
                             .values(count=table.c.count - d.cost))

    def reset(self, key: str) -> None:
        table = RateLimitBucket.__table__
        with self._transaction() as conn:
            conn.execute(delete(table).where(table.c.key == store_key(key)))


_HIT = """
local c = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return c
"""
_REFUND = """
local c = tonumber(redis.call('GET', KEYS[1]) or '0')
if c >= tonumber(ARGV[1]) then return redis.call('DECRBY', KEYS[1], ARGV[1]) end
return c
"""


class RedisLimiter:
    """Counters in Redis under ``<prefix><key>:<window start>``; each expires with its window."""

    def __init__(self, url: str, prefix: str = "bianmin:rl:") -> None:
        import redis  # only needed when BIANMIN_REDIS_URL is set

        self._errors = (redis.RedisError,)
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix
        self._hit = self.client.register_script(_HIT)
        self._refund = self.client.register_script(_REFUND)

    def _name(self, key: str, start: datetime) -> str:
        return f"{self.prefix}{store_key(key)}:{int(start.timestamp())}"

    def hit(self, key: str, limit: int, window: timedelta, cost: int = 1) -> Decision:
        now = utcnow()
        start, end = window_bounds(now, window)
        ttl_ms = int((end - now).total_seconds() * 1000) + 1000
        try:
            count = int(self._hit(keys=[self._name(key, start)], args=[cost, ttl_ms]))
        except self._errors as exc:
            raise LimiterUnavailable(str(exc)) from exc
        return Decision(count <= limit, count, limit, _retry_after(end, now), key, start, cost)

    def hit_all(self, budgets: Sequence[tuple[str, int, timedelta]], cost: int = 1) -> list[Decision]:
        decisions = []
        for key, limit, window in budgets:
            decisions.append(self.hit(key, limit, window, cost))
            if not decisions[-1].allowed:
                break
        return decisions

    def refund_all(self, decisions: Sequence[Decision]) -> None:
        for decision in decisions:
            self.refund(decision)

    def peek(self, key: str, limit: int, window: timedelta) -> Decision:
        now = utcnow()
        start, end = window_bounds(now, window)
        try:
            count = int(self.client.get(self._name(key, start)) or 0)
        except self._errors as exc:
            raise LimiterUnavailable(str(exc)) from exc
        return Decision(count < limit, count, limit, _retry_after(end, now), key, start, 0)

    def refund(self, decision: Decision) -> None:
        if decision.cost <= 0 or decision.window_start is None:
            return
        try:
            self._refund(keys=[self._name(decision.key, decision.window_start)], args=[decision.cost])
        except self._errors as exc:
            raise LimiterUnavailable(str(exc)) from exc

    def reset(self, key: str) -> None:
        try:
            pattern = "".join("\\" + ch if ch in "*?[]\\" else ch for ch in self.prefix + store_key(key))
            names = list(self.client.scan_iter(match=pattern + ":*", count=100))
            if names:
                self.client.delete(*names)
        except self._errors as exc:
            raise LimiterUnavailable(str(exc)) from exc


def make_limiter(redis_url: str, engine: Engine) -> Limiter:
    """Redis when ``BIANMIN_REDIS_URL`` is set, else the database every app server shares."""
    return RedisLimiter(redis_url) if redis_url else DatabaseLimiter(engine)
