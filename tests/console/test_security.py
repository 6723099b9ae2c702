"""Sign-in rules: CSRF on every form, growing delay and lock-out, cookies, passwords, odd input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from server.console import security
from server.models.console import AuditEntry, ConsoleUser, IdReveal
from tests.console.conftest import PASSWORD, app_id, csrf_of, make_user, push_application, sign_in
from tests.console.test_authorisation import TABLE


def test_session_cookie_is_httponly_and_samesite(client, world) -> None:  # noqa: ANN001
    browser = TestClient(client.app, follow_redirects=False)
    page = browser.get("/console/login")
    r = browser.post("/console/login", data={"username": world.users["agent_a"], "password": PASSWORD, "csrf": csrf_of(page.text)})
    cookie = [v for k, v in r.headers.multi_items() if k == "set-cookie" and v.startswith(security.SESSION_COOKIE)][0]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    with client.app.state.sessions() as s:
        from server.models.console import ConsoleSession

        token = cookie.split(";")[0].split("=", 1)[1].strip('"')
        stored = s.scalars(select(ConsoleSession.token_hash)).all()
        assert token not in stored and security.digest(token) in stored  # only the hash is kept


def test_login_form_needs_its_csrf_token(client, world) -> None:  # noqa: ANN001
    browser = TestClient(client.app, follow_redirects=False)
    browser.get("/console/login")
    r = browser.post("/console/login", data={"username": world.users["agent_a"], "password": PASSWORD, "csrf": "forged"})
    assert r.status_code == 403 and "页面已过期" in r.text
    cold = TestClient(client.app, follow_redirects=False)  # no cookie at all (cross-site post)
    r = cold.post("/console/login", data={"username": world.users["agent_a"], "password": PASSWORD})
    assert r.status_code == 403


def test_every_form_refuses_a_missing_or_foreign_csrf_token(client, sessions, world) -> None:  # noqa: ANN001
    aid = app_id(sessions, push_application(client, world))
    admin = sign_in(client.app, world.users["admin"])
    other = sign_in(client.app, world.users["township"])
    foreign = csrf_of(other.get("/console/").text)  # valid, but for another session
    ids = {"own": aid, "other": aid, "far": aid, "agent_a": 1, "agent_c": 1, "roster_c": 1, "device": 1}
    for method, path, _expect in TABLE:
        if method != "POST":
            continue
        url = path.format(**ids)
        for data in ({}, {"csrf": ""}, {"csrf": foreign}):
            r = admin.post(url, data={**data, "target": "accepted"})
            assert r.status_code in (403, 404), (url, data, r.status_code)
            if r.status_code == 403 and "logout" not in url:
                assert "页面已过期" in r.text or "权限" in r.text
    with sessions() as s:
        from server.models import Application

        assert s.get(Application, aid).status == "submitted"  # nothing happened


@pytest.fixture
def fast_policy(server_app):  # noqa: ANN001, ANN201
    server_app.state.console_backoff = security.BackoffPolicy(free_failures=2, max_delay=1)
    yield server_app.state.console_backoff
    del server_app.state.console_backoff


def _try(browser: TestClient, username: str, password: str):  # noqa: ANN202
    page = browser.get("/console/login")
    return browser.post("/console/login", data={"username": username, "password": password, "csrf": csrf_of(page.text)})


def test_growing_delay_per_account_and_address(client, sessions, world, fast_policy) -> None:  # noqa: ANN001
    import time

    username = make_user(sessions, "village_agent", world.a.code)
    browser = TestClient(client.app, follow_redirects=False, client=("198.51.100.7", 4000))
    assert _try(browser, username, "wrong-1").status_code == 401
    assert _try(browser, username, "wrong-2").status_code == 401
    r = _try(browser, username, PASSWORD)  # third try comes too soon: refused without checking
    assert r.status_code == 429 and "秒后再试" in r.text
    time.sleep(1.1)
    assert _try(browser, username, "wrong-3").status_code == 401
    time.sleep(1.1)
    assert _try(browser, username, PASSWORD).status_code == 303  # waited: the right password works


def test_a_stranger_cannot_lock_anyone_out(client, sessions, world) -> None:  # noqa: ANN001
    """Issue 14: 8 requests in ~31 s locked any known account, admin included."""
    username = world.users["admin"]
    stranger = TestClient(client.app, follow_redirects=False, client=("203.0.113.66", 5000))
    answers = [_try(stranger, username, f"guess-{i}") for i in range(12)]
    assert answers[0].status_code == 401 and answers[-1].status_code == 429
    assert not any("锁定" in r.text for r in answers)
    with sessions() as s:
        assert s.scalar(select(ConsoleUser.locked_until).where(ConsoleUser.username == username)) is None
    clerk = TestClient(client.app, follow_redirects=False, client=("192.0.2.10", 6000))
    assert _try(clerk, username, PASSWORD).status_code == 303  # from the office: signs in at once


def test_unknown_and_known_user_names_get_the_same_answers(client, sessions, world, server_app, monkeypatch) -> None:  # noqa: ANN001
    """Issue 14: a real user name answered "账号已锁定" where an unknown one never did."""
    every_guess_evaluated = security.BackoffPolicy(free_failures=2, max_delay=0)
    monkeypatch.setattr(server_app.state, "console_backoff", every_guess_evaluated, raising=False)
    known = make_user(sessions, "village_agent", world.a.code)
    seen = []
    for name, address in ((known, "198.51.100.20"), ("nobody-here", "198.51.100.21")):
        browser = TestClient(client.app, follow_redirects=False, client=(address, 7000))
        seen.append([(r.status_code, r.text.split('role="alert">')[1].split("<")[0] if 'role="alert">' in r.text else "")
                     for r in (_try(browser, name, f"wrong-{i}") for i in range(10))])
    assert seen[0] == seen[1]
    assert seen[0][0] == (401, "用户名或密码不正确")


def test_backoff_policy_numbers() -> None:
    policy = security.BackoffPolicy(free_failures=3, max_delay=60)
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    assert policy.wait_seconds(2, t0, t0) == 0
    assert policy.wait_seconds(3, t0, t0) == 1
    assert policy.wait_seconds(5, t0, t0) == 4
    assert policy.wait_seconds(5, t0, t0 + timedelta(seconds=4)) == 0
    assert policy.wait_seconds(20, t0, t0) == 60


@pytest.mark.parametrize("weak", ["12345678", "password", "qwertyui", "11111111", "bianmin2026"])
def test_common_and_weak_passwords_are_refused(weak: str) -> None:
    problem = security.password_problem(weak, "zhang")
    assert problem is not None, weak
    assert security.password_problem("tumen-river-kettle-58", "zhang") is None


def test_change_password_validates_and_signs_out_other_browsers(client, sessions, world) -> None:  # noqa: ANN001
    username = make_user(sessions, "village_agent", world.a.code)
    first, second = sign_in(client.app, username), sign_in(client.app, username)
    token = csrf_of(first.get("/console/password").text)
    cases = [({"current": "bad", "new": "new-pass-123", "repeat": "new-pass-123"}, "当前密码不正确"),
             ({"current": PASSWORD, "new": "new-pass-123", "repeat": "other-pass-1"}, "不一致"),
             ({"current": PASSWORD, "new": "short", "repeat": "short"}, "至少需要 8 位"),
             ({"current": PASSWORD, "new": "11111111", "repeat": "11111111"}, "太容易被猜到"),
             ({"current": PASSWORD, "new": "password", "repeat": "password"}, "太容易被猜到")]
    for data, message in cases:
        r = first.post("/console/password", data={"csrf": token, **data})
        assert r.status_code == 400 and message in r.text
    r = first.post("/console/password", data={"csrf": token, "current": PASSWORD, "new": "new-pass-123", "repeat": "new-pass-123"})
    assert r.status_code == 303
    assert second.get("/console/inbox").status_code == 303  # the other browser was signed out
    assert first.get("/console/inbox").status_code == 200
    sign_in(client.app, username, "new-pass-123")


def test_temporary_password_must_be_changed_first(client, sessions, world) -> None:  # noqa: ANN001
    from server.db import write_session

    username = make_user(sessions, "village_agent", world.a.code)
    with write_session(sessions) as s:
        s.scalar(select(ConsoleUser).where(ConsoleUser.username == username)).must_change_password = True
    browser = sign_in(client.app, username)
    r = browser.get("/console/inbox")
    assert r.status_code == 303 and r.headers["location"] == "/console/password"


def test_id_reveal_is_masked_by_default_and_logged(client, sessions, world) -> None:  # noqa: ANN001
    aid = app_id(sessions, push_application(client, world, id_number="11010519491231002X"))
    agent = sign_in(client.app, world.users["agent_a"])
    page = agent.get(f"/console/applications/{aid}").text
    assert "11010519491231002X" not in page and "110***********002X" in page
    r = agent.post(f"/console/applications/{aid}/reveal", data={"csrf": csrf_of(page)})
    assert r.status_code == 303  # post-redirect-get: the number is shown by the GET it leads to
    r = agent.get(r.headers["location"])
    assert r.status_code == 200 and "11010519491231002X" in r.text
    assert "11010519491231002X" not in agent.get(f"/console/applications/{aid}").text  # not sticky
    with sessions() as s:
        assert s.scalar(select(IdReveal).where(IdReveal.application_id == str(aid))).username == world.users["agent_a"]


ODD = ["", "0", "²", "١٢", "-1", "99999999999999999999", "abc", "%00", "<script>", "'; drop table x;--", "2026-13-45", "é" * 300]


def test_no_500_on_odd_input(client, sessions, world) -> None:  # noqa: ANN001
    aid = app_id(sessions, push_application(client, world))
    admin = sign_in(client.app, world.users["admin"])
    agent = sign_in(client.app, world.users["agent_a"])
    token_admin = csrf_of(admin.get("/console/").text)
    token_agent = csrf_of(agent.get("/console/").text)
    for value in ODD:
        for browser in (admin, agent):
            for url in ("/console/inbox?status={v}&village={v}&item={v}&due_before={v}&q={v}&page_no={v}",
                        "/console/ledger?date_from={v}&date_to={v}&village={v}&status={v}",
                        "/console/ledger.xlsx?date_from={v}", "/console/reports?month={v}", "/console/audit?application={v}&page_no={v}",
                        "/console/applications/{v}", "/console/catalogue/items/{v}", "/console/people/{v}/photo"):
                r = browser.get(url.format(v=value))
                assert r.status_code < 500, (url, value, r.status_code)
        for data in ({"target": value, "note": value, "materials": value, "office": value},):
            r = agent.post(f"/console/applications/{aid}/transition", data={"csrf": token_agent, **data})
            assert r.status_code < 500
        for url, data in (("/console/holidays", {"day": value, "kind": value, "name": value}),
                          ("/console/users", {"username": value, "display_name": value, "role": value, "scope": value, "password": value}),
                          ("/console/people", {"village": world.a.code, "name": value, "phone": value}),
                          ("/console/roster", {"agent": value, "weekday": value, "hours": value}),
                          ("/console/terminals/codes", {"village": value}),
                          ("/console/ledger.xlsx", {"date_from": value, "date_to": value, "village": value, "status": value}),
                          ("/console/catalogue/items/150121MZ001", {"name": value, "office": value, "statutory_days": value, "promised_days": value})):
            r = admin.post(url, data={"csrf": token_admin, **data})
            assert r.status_code < 500, (url, value, r.status_code)
    r = admin.post("/console/people/1/photo", data={"csrf": token_admin}, files={"photo": ("x.jpg", b"not an image", "image/jpeg")})
    assert r.status_code < 500
    r = admin.post("/console/catalogue/import", data={"csrf": token_admin}, files={"file": ("c.yaml", b"items: [1, 2", "application/x-yaml")})
    assert r.status_code == 400
    r = admin.post("/console/login", content=b"\xff\xfe garbage", headers={"content-type": "multipart/form-data; boundary=zz"})
    assert r.status_code < 500


def test_audit_and_reveal_logs_are_append_only_in_the_database(client, sessions, world) -> None:  # noqa: ANN001
    from sqlalchemy import delete, update
    from sqlalchemy.exc import DBAPIError

    sign_in(client.app, world.users["agent_a"])  # writes a sign-in audit entry
    for statement in (update(AuditEntry).values(note="edited"), delete(AuditEntry)):
        with sessions() as s:
            with pytest.raises(DBAPIError):
                s.execute(statement)
                s.commit()
            s.rollback()
    with sessions() as s:
        assert s.scalar(select(AuditEntry).where(AuditEntry.username == world.users["agent_a"])) is not None


def test_migration_downgrades_and_upgrades_again(db_url) -> None:  # noqa: ANN001
    """0002_console can be rolled back to 0001_initial and re-applied (on a fresh copy)."""
    from alembic import command

    from server import migrate

    if not db_url.startswith("sqlite"):
        pytest.skip("run on SQLite only (PostgreSQL database is shared by the session)")
    import shutil
    import tempfile

    source = db_url.removeprefix("sqlite:///")
    copy = tempfile.mktemp(suffix=".sqlite3")
    shutil.copy(source, copy)
    url = f"sqlite:///{copy}"
    command.downgrade(migrate.alembic_config(url), "0001_initial")
    assert migrate.current_heads(url) == {"0001_initial"}
    migrate.upgrade(url)
    from alembic.script import ScriptDirectory

    assert migrate.current_heads(url) == set(ScriptDirectory.from_config(migrate.alembic_config(url)).get_heads())


def test_the_back_off_is_shared_by_every_worker(client, sessions, world, server_settings) -> None:  # noqa: ANN001
    """Two app instances on one database (as two uvicorn workers): failures counted by one
    slow the same name and address down on the other."""
    from server.main import create_app

    username = make_user(sessions, "village_agent", world.a.code)
    other_worker = create_app(server_settings)
    first = TestClient(client.app, follow_redirects=False, client=("198.51.100.99", 4100))
    second = TestClient(other_worker, follow_redirects=False, client=("198.51.100.99", 4101))
    for i in range(security.DEFAULT_POLICY.free_failures):
        assert _try(first, username, f"wrong-{i}").status_code == 401
    r = _try(second, username, PASSWORD)
    assert r.status_code == 429 and "秒后再试" in r.text
    other_worker.state.engine.dispose()


def test_concurrent_guesses_from_one_address_cannot_exceed_the_free_failures(client, sessions, world) -> None:  # noqa: ANN001
    """The address's bucket row lock makes simultaneous attempts take turns, so the count each
    one reads is exact (12 at once: 5 evaluated, the rest told to wait)."""
    from concurrent.futures import ThreadPoolExecutor

    username = make_user(sessions, "village_agent", world.a.code)
    browsers = [TestClient(client.app, follow_redirects=False, client=("198.51.100.77", 4200 + i)) for i in range(12)]
    pages = [b.get("/console/login") for b in browsers]

    def guess(i: int) -> int:
        return browsers[i].post("/console/login", data={"username": username, "password": f"wrong-{i}",
                                                        "csrf": csrf_of(pages[i].text)}).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        codes = list(pool.map(guess, range(12)))
    assert codes.count(401) == security.DEFAULT_POLICY.free_failures, codes
    assert codes.count(429) == 12 - security.DEFAULT_POLICY.free_failures, codes
