"""Probes that answered 500 (issue 14): each must now get a readable Chinese page, never a
traceback or raw JSON, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.console.conftest import app_id, csrf_of, export_ledger, push_application, sign_in


def _readable(response) -> None:  # noqa: ANN001
    assert response.status_code < 500, response.text[:300]
    assert response.headers["content-type"].startswith("text/html"), response.headers["content-type"]
    assert "Traceback" not in response.text and '{"detail"' not in response.text


def test_nul_byte_in_the_login_user_name(client, world) -> None:  # noqa: ANN001
    browser = TestClient(client.app, follow_redirects=False, raise_server_exceptions=False)
    page = browser.get("/console/login")
    r = browser.post("/console/login", data={"username": "adm\x00in", "password": "x" * 10, "csrf": csrf_of(page.text)})
    _readable(r)
    assert r.status_code == 400 and "用户名" in r.text


def test_nul_byte_in_a_transition_note(client, sessions, world) -> None:  # noqa: ANN001
    aid = app_id(sessions, push_application(client, world))
    agent = sign_in(client.app, world.users["agent_a"])
    token = csrf_of(agent.get(f"/console/applications/{aid}").text)
    r = agent.post(f"/console/applications/{aid}/transition", data={"csrf": token, "target": "accepted", "note": "受理\x00了"})
    _readable(r)
    assert r.status_code == 400 and "控制字符" in r.text
    with sessions() as s:
        from server.models import Application

        assert s.get(Application, aid).status == "submitted"


def test_nul_byte_in_the_inbox_search(client, world) -> None:  # noqa: ANN001
    agent = sign_in(client.app, world.users["agent_a"])
    r = agent.get("/console/inbox", params={"q": "张\x00三"})
    _readable(r)
    assert "查询码" in r.text and "已忽略" in r.text


def test_ledger_dates_at_the_end_of_time(client, world) -> None:  # noqa: ANN001
    admin = sign_in(client.app, world.users["admin"])
    for url in ("/console/ledger?date_to=9999-12-31", "/console/ledger?date_from=0001-01-01",
                "/console/inbox?due_before=9999-12-31"):
        r = admin.get(url)
        _readable(r)
        assert r.status_code in (200, 400), url
        assert "日期" in r.text, url
    r = export_ledger(admin, "xlsx", date_to="9999-12-31")
    _readable(r)
    assert r.status_code == 400 and "日期" in r.text


def test_odd_ids_on_followups_and_complaints(client, world) -> None:  # noqa: ANN001
    township = sign_in(client.app, world.users["township"])
    for kind, verb, field in (("followups", "answer", "answer"), ("complaints", "reply", "reply")):
        token = csrf_of(township.get(f"/console/{kind}").text)
        for odd in ("99999999999", "²", "-1", "0", "1e3"):
            r = township.post(f"/console/{kind}/{odd}/{verb}", data={"csrf": token, field: "好"})
            _readable(r)
            assert r.status_code == 404, (kind, odd, r.status_code)


def test_line_breaks_are_kept_where_a_textarea_allows_them(client, world) -> None:  # noqa: ANN001
    admin = sign_in(client.app, world.users["admin"])
    page = admin.get("/console/catalogue/items/150121MZ001")
    form = {"csrf": csrf_of(page.text), "name": "最低生活保障申请", "office": "旗民政局", "statutory_days": "30",
            "promised_days": "5", "conditions": "本旗户籍\r\n家庭困难", "location": "便民服务室"}
    assert admin.post("/console/catalogue/items/150121MZ001", data=form).status_code == 303
    assert "家庭困难" in admin.get("/console/catalogue/items/150121MZ001").text
    r = admin.post("/console/catalogue/items/150121MZ001", data={**form, "name": "低保\x00"})
    _readable(r)
    assert r.status_code == 400


def test_database_trouble_gets_a_console_page_not_json(client, world, monkeypatch) -> None:  # noqa: ANN001
    from sqlalchemy.exc import IntegrityError, OperationalError

    from server.console import routes_admin

    admin = sign_in(client.app, world.users["admin"])
    token = csrf_of(admin.get("/console/holidays").text)
    for error, status, words in ((IntegrityError("INSERT", {}, Exception("duplicate")), 409, "刷新后再试"),
                                 (OperationalError("SELECT", {}, Exception("server closed")), 503, "服务器正忙")):
        def boom(_db, error=error):  # noqa: ANN001, ANN202
            raise error

        monkeypatch.setattr(routes_admin, "recompute_open_deadlines", boom)
        r = admin.post("/console/holidays", data={"csrf": token, "day": "2026-10-01", "kind": "holiday", "name": "国庆"})
        # 503 (retry later) is the honest answer for a database that is away, as the API gives.
        assert r.status_code == status and words in r.text
        assert r.headers["content-type"].startswith("text/html") and '{"detail"' not in r.text
