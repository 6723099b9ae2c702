"""Short-code lookups are limited per address, per code and overall, atomically (issue 14 probes).

Probes that found the old per-IP-only, count-then-check limit wanting:
- 60 concurrent guesses from one address got 17 evaluated where the limit was 10;
- rotating 16 addresses with 9 guesses each found the last four phone digits in 138 tries.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.tracking.test_public_pages import _sessions, make_application


@pytest.fixture
def limited(server_app):
    """The app with small, distinct limits (the routes read ``app.state.settings``)."""
    server_app.state.settings = server_app.state.settings.model_copy(
        update={"lookup_per_address": 10, "lookup_per_code": 12, "lookup_overall": 1000})
    return server_app


def _client_from(app, address: str) -> TestClient:
    return TestClient(app, client=(address, 50000), raise_server_exceptions=False)


def test_failed_lookups_are_limited_per_address_and_logged(limited, client):
    from bianmin.domain.tracking import new_short_code
    from server.models import LookupAttempt

    app = make_application(_sessions(client), [])
    for _ in range(10):
        assert client.post("/t/lookup", data={"short_code": new_short_code(), "last4": "0000"}).status_code == 404
    # The right code is refused now too: this address has used its budget of failures.
    blocked = client.post("/t/lookup", data={"short_code": app["short_code"], "last4": "8000"},
                          follow_redirects=False)
    assert blocked.status_code == 429 and "查询次数太多" in blocked.text
    assert int(blocked.headers["Retry-After"]) >= 1
    api = client.post("/api/v1/track/lookup", json={"short_code": app["short_code"], "last4": "8000"})
    assert api.status_code == 429 and api.json()["detail"] and int(api.headers["Retry-After"]) >= 1
    # Another address is not affected (villagers elsewhere), and a right answer costs nothing.
    with _client_from(limited, "10.0.0.9") as other:
        for _ in range(12):
            found = other.post("/t/lookup", data={"short_code": app["short_code"], "last4": "8000"},
                               follow_redirects=False)
            assert found.status_code == 303
    with _sessions(client)() as session:
        rows = session.execute(select(LookupAttempt)).scalars().all()
        assert len(rows) == 10 + 2 + 12
        assert sum(r.success for r in rows) == 12
        assert {r.channel for r in rows} == {"web", "kiosk"}
    assert client.get(f"/t/{app['token']}").status_code == 200  # the token page needs no guessing


def test_rotating_addresses_cannot_guess_the_last_four_digits(limited, client):
    """16 addresses x 9 guesses at one known code: the per-code budget stops it (right answer 138th)."""
    app = make_application(_sessions(client), [], phone="13800138000")
    guesses = [f"{n:04d}" for n in range(1000, 1000 + 16 * 9)]
    guesses[137] = "8000"
    answers = []
    for i in range(16):
        with _client_from(limited, f"10.1.0.{i + 1}") as attacker:
            for guess in guesses[i * 9:(i + 1) * 9]:
                answers.append(attacker.post("/t/lookup", data={"short_code": app["short_code"], "last4": guess},
                                             follow_redirects=False).status_code)
    assert 303 not in answers
    assert answers.count(404) == 12  # lookup_per_code failed guesses were evaluated, no more
    assert set(answers) == {404, 429}
    # The kiosk API shares the same per-code budget.
    assert client.post("/api/v1/track/lookup",
                       json={"short_code": app["short_code"], "last4": "8000"}).status_code == 429


def test_concurrent_guesses_never_exceed_the_limit(limited, client):
    """60 guesses at once from one address, limit 10: exactly 10 are evaluated."""
    from bianmin.domain.tracking import new_short_code

    make_application(_sessions(client), [])
    codes = [new_short_code() for _ in range(60)]

    def guess(code: str) -> int:
        return client.post("/api/v1/track/lookup", json={"short_code": code, "last4": "1234"}).status_code

    with ThreadPoolExecutor(max_workers=30) as pool:
        answers = list(pool.map(guess, codes))
    assert answers.count(404) == 10 and answers.count(429) == 50, answers


def test_overall_budget_caps_guessing_from_many_addresses(server_app, client):
    from bianmin.domain.tracking import new_short_code

    server_app.state.settings = server_app.state.settings.model_copy(
        update={"lookup_per_address": 100, "lookup_per_code": 100, "lookup_overall": 5})
    answers = []
    for i in range(8):
        with _client_from(server_app, f"10.2.0.{i + 1}") as someone:
            answers.append(someone.post("/t/lookup", data={"short_code": new_short_code(), "last4": "1"}).status_code)
    assert answers == [404] * 5 + [429] * 3


def test_redis_limiter_serves_the_same_limits(limited, client):
    """With BIANMIN_REDIS_URL the app keeps its counters in Redis; the concurrent probe holds there too."""
    import os
    import secrets

    from bianmin.domain.tracking import new_short_code
    from server.core.config import Settings
    from server.services.ratelimit import RedisLimiter, make_limiter

    url = os.environ.get("BIANMIN_TEST_REDIS_URL")
    if not url:
        pytest.skip("set BIANMIN_TEST_REDIS_URL=redis://127.0.0.1:6379/15")
    assert isinstance(make_limiter(Settings(redis_url=url).redis_url, limited.state.engine), RedisLimiter)
    limited.state.limiter = RedisLimiter(url, prefix=f"test:{secrets.token_hex(4)}:")
    try:
        with ThreadPoolExecutor(max_workers=30) as pool:
            answers = list(pool.map(lambda code: client.post(
                "/api/v1/track/lookup", json={"short_code": code, "last4": "1234"}).status_code,
                [new_short_code() for _ in range(60)]))
        assert answers.count(404) == 10 and answers.count(429) == 50
    finally:
        for name in limited.state.limiter.client.scan_iter(match=limited.state.limiter.prefix + "*"):
            limited.state.limiter.client.delete(name)


def test_an_unreachable_limiter_store_answers_503_not_500(server_app, client):
    from server.services.ratelimit import RedisLimiter

    server_app.state.limiter = RedisLimiter("redis://127.0.0.1:1/0")
    api = client.post("/api/v1/track/lookup", json={"short_code": "ABCD-EFGH-1", "last4": "1234"})
    assert api.status_code == 503 and api.headers["Retry-After"] and api.json()["detail"]
    assert client.post("/t/lookup", data={"short_code": "x", "last4": "1"}).status_code == 503
