"""The public tracking page, short-code lookup, rating form and the kiosk API (SQLite + PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.tracking.conftest import make_application


def _sessions(client):
    return client.app.state.sessions


def test_tracking_page_shows_plain_state_and_hides_personal_data(client):
    app = make_application(_sessions(client), ["accepted", ("forwarded", "已报送巴彦苏木", None)])
    resp = client.get(f"/t/{app['token']}")
    assert resp.status_code == 200
    html = resp.text
    assert "已报送乡镇" in html and "城乡居民养老保险参保登记" in html
    assert "王*英" in html and "王秀英" not in html
    assert "13800138000" not in html and "8000" not in html
    assert "承诺办结日期" in html and "已报送巴彦苏木" in html
    assert '<meta name="robots" content="noindex' in html
    assert resp.headers["x-robots-tag"].startswith("noindex")
    assert "<script" not in html.lower()


def test_awaiting_materials_shows_the_one_time_notice(client):
    app = make_application(_sessions(client), [("awaiting_materials", "", ["户口簿复印件 1 份", "一寸照片 2 张"])])
    html = client.get(f"/t/{app['token']}").text
    assert "待补材料" in html and "户口簿复印件 1 份" in html and "一寸照片 2 张" in html


def test_ready_for_pickup_says_where(client):
    app = make_application(_sessions(client), ["accepted", "approved", "ready_for_pickup"])
    html = client.get(f"/t/{app['token']}").text
    assert "可领取" in html and "领取地点和时间" in html


def test_overdue_is_said_plainly(client):
    from datetime import date

    from server.db import write_session
    from server.models import Application

    app = make_application(_sessions(client), ["accepted"])
    with write_session(_sessions(client)) as session:
        session.get(Application, app["id"]).due_date = date(2020, 1, 6)
    html = client.get(f"/t/{app['token']}").text
    assert "已超过承诺办结日期 2020-01-06" in html


@pytest.mark.parametrize(
    "path",
    ["/t/abc", "/t/" + "A" * 22, "/t/%27%3B--", "/t/" + "x" * 300, "/t/..%2F..%2Fetc%2Fpasswd", "/t/<script>"],
)
def test_malformed_or_unknown_token_is_a_friendly_404(client, path):
    resp = client.get(path)
    assert resp.status_code == 404
    assert "未找到" in resp.text and "Traceback" not in resp.text
    assert resp.headers["x-robots-tag"].startswith("noindex")


def test_api_not_found_and_malformed(client):
    assert client.get("/api/v1/track/nope").status_code == 404
    assert client.post("/api/v1/track/lookup", json={"short_code": "!!", "last4": "x"}).status_code == 404
    assert client.post("/api/v1/track/lookup", content=b"not json",
                       headers={"content-type": "application/json"}).status_code in (400, 422)


def test_short_code_lookup_web_and_api(client):
    app = make_application(_sessions(client), ["accepted"])
    code = app["short_code"]
    dashed = f"{code[:4]}-{code[4:8]}-{code[8:]}".lower()
    resp = client.post("/t/lookup", data={"short_code": dashed, "last4": "8000"}, follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"] == f"/t/{app['token']}"
    api = client.post("/api/v1/track/lookup", json={"short_code": code, "last4": "8000"})
    assert api.status_code == 200 and api.json()["status"] == "accepted"
    assert "phone" not in api.json() and "13800138000" not in api.text


def test_wrong_guess_reveals_nothing(client):
    from bianmin.domain.tracking import new_short_code

    app = make_application(_sessions(client), [])
    wrong_phone = client.post("/t/lookup", data={"short_code": app["short_code"], "last4": "1234"})
    unknown_code = client.post("/t/lookup", data={"short_code": new_short_code(), "last4": "8000"})
    malformed = client.post("/t/lookup", data={"short_code": "hello", "last4": "8000"})
    assert wrong_phone.status_code == unknown_code.status_code == malformed.status_code == 404
    assert wrong_phone.text == unknown_code.text == malformed.text
    api_wrong = client.post("/api/v1/track/lookup", json={"short_code": app["short_code"], "last4": "1234"})
    api_unknown = client.post("/api/v1/track/lookup", json={"short_code": new_short_code(), "last4": "8000"})
    assert api_wrong.status_code == api_unknown.status_code == 404 and api_wrong.text == api_unknown.text


def test_rating_form_one_per_application_and_escaped(client):
    from server.models import FollowUp, Rating

    app = make_application(_sessions(client), ["accepted", "approved", "completed"])
    page = client.get(f"/t/{app['token']}").text
    assert "请您评价这次服务" in page and "非常不满意" in page
    # 差评 without a reason is refused with a message, nothing stored.
    resp = client.post(f"/t/{app['token']}/rate", data={"level": "1"})
    assert resp.status_code == 400 and "请选择不满意的原因" in resp.text
    evil = "<script>alert(1)</script>&"
    resp = client.post(f"/t/{app['token']}/rate", data={"level": "1", "reasons": ["slow", "bogus"], "text": evil},
                       follow_redirects=False)
    assert resp.status_code == 303
    page = client.get(resp.headers["location"]).text
    assert "谢谢您的评价" in page and "请您评价这次服务" not in page
    again = client.post(f"/t/{app['token']}/rate", data={"level": "5"})
    assert again.status_code in (200, 400)
    with _sessions(client)() as session:
        ratings = session.execute(select(Rating).where(Rating.application_uuid == app["uuid"])).scalars().all()
        assert len(ratings) == 1 and ratings[0].level == 1 and ratings[0].reasons == ["slow"]
        assert ratings[0].text == evil  # stored as typed …
        assert session.execute(select(func.count()).select_from(FollowUp)).scalar_one() == 1


def test_rating_text_is_escaped_where_shown(client):
    """A supervisor's answer (and the villager's text in the console) never becomes markup."""
    from server.db import write_session
    from server.models import FollowUp
    from server.public import service

    app = make_application(_sessions(client), ["accepted", "approved", "completed"])
    client.post(f"/t/{app['token']}/rate", data={"level": "2", "text": "<b>慢</b>"})
    with write_session(_sessions(client)) as session:
        follow = session.execute(select(FollowUp)).scalar_one()
        service.answer_followup(session, follow, "<img src=x onerror=alert(1)>已督促整改", "镇监督员")
    html = client.get(f"/t/{app['token']}").text
    assert "&lt;img src=x onerror=alert(1)&gt;已督促整改" in html
    assert "<img src=x" not in html


def test_rating_too_long_or_too_early(client):
    app = make_application(_sessions(client), ["accepted"])
    resp = client.post(f"/t/{app['token']}/rate", data={"level": "5"})
    assert resp.status_code == 400 and "办完以后才能评价" in resp.text
    done = make_application(_sessions(client), ["accepted", "approved", "completed"], phone="13900001111")
    resp = client.post(f"/t/{done['token']}/rate", data={"level": "2", "text": "慢" * 501})
    assert resp.status_code == 400 and "不超过 500 字" in resp.text
    for junk in ({"level": "abc"}, {"level": "9"}, {}):
        assert client.post(f"/t/{done['token']}/rate", data=junk).status_code == 400
    assert client.post("/t/nonexistenttokenxxxxxxxx/rate", data={"level": "5"}).status_code == 404


def test_token_space_is_not_enumerable():
    from bianmin.domain.tracking import new_token

    tokens = {new_token() for _ in range(1000)}
    assert len(tokens) == 1000 and all(len(t) >= 22 for t in tokens)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22}", t) for t in tokens)


def test_rating_form_with_nul_and_control_characters_never_errors(client):
    """NUL in any field of the public rating form: the page again or a clean rating, never a 500."""
    from server.models import Rating

    app = make_application(_sessions(client), ["accepted", "approved", "completed"])
    odd = client.post(f"/t/{app['token']}/rate", data={"level": "\x00", "reasons": "\x00", "text": "\x00"},
                      follow_redirects=False)
    assert odd.status_code == 400 and "text/html" in odd.headers["content-type"]
    ok = client.post(f"/t/{app['token']}/rate", data={"level": "1", "reasons": ["slow", "\x00x"],
                                                     "text": "等了\x00很久\x1b"}, follow_redirects=False)
    assert ok.status_code == 303
    with _sessions(client)() as session:
        rating = session.execute(select(Rating)).scalar_one()
        assert rating.text == "等了很久" and rating.reasons == ["slow"]
