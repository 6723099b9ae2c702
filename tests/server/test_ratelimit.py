"""The shared limiter: atomic under concurrency, windows, refunds, on the database (SQLite and
PostgreSQL) and on Redis (``BIANMIN_TEST_REDIS_URL``; CI sets redis://127.0.0.1:6379/15)."""

from __future__ import annotations

import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from server.db import make_engine
from server.services import ratelimit
from server.services.ratelimit import DatabaseLimiter, RedisLimiter

REDIS_ENV = "BIANMIN_TEST_REDIS_URL"
WINDOW = timedelta(minutes=10)


@pytest.fixture(params=["database", "redis"])
def limiter(request, db_url):  # noqa: ANN001, ANN201
    if request.param == "redis":
        url = os.environ.get(REDIS_ENV)
        if not url:
            pytest.skip(f"Redis limiter tests skipped: set {REDIS_ENV}=redis://127.0.0.1:6379/15")
        made = RedisLimiter(url, prefix=f"test:{secrets.token_hex(4)}:")
        yield made
        for name in made.client.scan_iter(match=made.prefix + "*"):
            made.client.delete(name)
        return
    engine = make_engine(db_url)
    yield DatabaseLimiter(engine)
    engine.dispose()


def _key() -> str:
    return f"test:{secrets.token_hex(6)}"


def test_counts_up_to_the_limit_then_refuses(limiter):
    key = _key()
    decisions = [limiter.hit(key, 3, WINDOW) for _ in range(5)]
    assert [d.allowed for d in decisions] == [True, True, True, False, False]
    assert [d.count for d in decisions] == [1, 2, 3, 4, 5]
    assert all(1 <= d.retry_after <= WINDOW.total_seconds() for d in decisions)
    assert limiter.hit(_key(), 3, WINDOW).allowed  # keys are independent


def test_sixty_concurrent_hits_allow_exactly_the_limit(limiter):
    key = _key()
    with ThreadPoolExecutor(max_workers=20) as pool:
        decisions = list(pool.map(lambda _: limiter.hit(key, 10, WINDOW), range(60)))
    assert sum(d.allowed for d in decisions) == 10
    assert sorted(d.count for d in decisions) == list(range(1, 61))


def test_refund_peek_and_reset(limiter):
    key = _key()
    first = limiter.hit(key, 2, WINDOW)
    limiter.hit(key, 2, WINDOW)
    assert not limiter.peek(key, 2, WINDOW).allowed and limiter.peek(key, 2, WINDOW).count == 2
    limiter.refund(first)
    assert limiter.peek(key, 2, WINDOW).count == 1
    assert limiter.hit(key, 2, WINDOW).allowed
    limiter.reset(key)
    assert limiter.peek(key, 2, WINDOW).count == 0


def test_a_new_window_starts_from_zero(limiter, monkeypatch):
    key = _key()
    for _ in range(3):
        limiter.hit(key, 2, WINDOW)
    assert not limiter.hit(key, 2, WINDOW).allowed
    later = ratelimit.utcnow() + WINDOW
    monkeypatch.setattr(ratelimit, "utcnow", lambda: later)
    fresh = limiter.hit(key, 2, WINDOW)
    assert fresh.allowed and fresh.count == 1
    # A refund from the old window does not lend budget to the new one.
    limiter.refund(ratelimit.Decision(True, 1, 2, 1, key, later - WINDOW, 1))
    assert limiter.peek(key, 2, WINDOW).count == 1


def test_long_keys_are_hashed_to_fit(limiter):
    key = "login:" + "名" * 500 + "*?["
    assert limiter.hit(key, 1, WINDOW).allowed
    assert not limiter.hit(key, 1, WINDOW).allowed
    limiter.reset(key)
    assert limiter.hit(key, 1, WINDOW).allowed


def test_an_unreachable_redis_is_refused_not_skipped():
    made = RedisLimiter("redis://127.0.0.1:1/0")
    with pytest.raises(ratelimit.LimiterUnavailable):
        made.hit(_key(), 1, WINDOW)


def test_hit_all_stops_at_the_first_refusal_and_refunds_together(limiter):
    address, code, overall = _key(), _key(), _key()
    budgets = [(address, 1, WINDOW), (code, 5, WINDOW), (overall, 5, WINDOW)]
    first = limiter.hit_all(budgets)
    assert [d.allowed for d in first] == [True, True, True]
    second = limiter.hit_all(budgets)
    assert [d.allowed for d in second] == [False]  # later budgets not charged
    assert limiter.peek(code, 5, WINDOW).count == 1 and limiter.peek(overall, 5, WINDOW).count == 1
    limiter.refund_all(first)
    assert [limiter.peek(k, 5, WINDOW).count for k in (address, code, overall)] == [1, 0, 0]
