"""Supervisors' follow-ups of 差评 and complaint handling in the console (SQLite + PostgreSQL).

Complaints and 差评 go to the township staff of the village's township — never to
the village's agents, nor to another township; deadlines are working days.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from server.db import write_session
from tests.console.conftest import csrf_of, make_user, sign_in
from tests.tracking.conftest import make_application

VILLAGE = "150121101001"  # 巴彦嘎查, 巴彦苏木
TOWNSHIP = "150121101"
OTHER_TOWNSHIP = "150121100"


def _complaint(sessions, text="代办员要求交100元<script>", village_code=VILLAGE, received=None):
    from server.models import Complaint, Village

    now = received or datetime.now(UTC)
    with write_session(sessions) as session:
        village = session.execute(select(Village).where(Village.code == village_code)).scalar_one()
        session.add(Complaint(uuid=str(uuid.uuid4()), village_id=village.id, category="fee", text=text,
                              contact="13800000000", created_at=now, updated_at=now, received_at=now))


def _bad_rating(sessions, level=2, received=None):
    from server.models import Rating, Village

    now = received or datetime.now(UTC)
    with write_session(sessions) as session:
        village = session.execute(select(Village).where(Village.code == VILLAGE)).scalar_one()
        session.add(Rating(uuid=str(uuid.uuid4()), village_id=village.id, stage="general", level=level,
                           reasons=["attitude"], text="态度差", created_at=now, updated_at=now, received_at=now))


def test_complaints_reach_the_township_not_the_agent(server_app):
    sessions = server_app.state.sessions
    _complaint(sessions)
    agent = sign_in(server_app, make_user(sessions, "village_agent", VILLAGE))
    assert agent.get("/console/complaints").status_code == 403
    assert agent.get("/console/followups").status_code == 403
    assert "投诉处理" not in agent.get("/console/").text
    neighbour = sign_in(server_app, make_user(sessions, "township_staff", OTHER_TOWNSHIP))
    assert "代办员要求交100元" not in neighbour.get("/console/complaints").text
    boss = sign_in(server_app, make_user(sessions, "township_staff", TOWNSHIP))
    page = boss.get("/console/complaints")
    assert page.status_code == 200 and "代办员要求交100元&lt;script&gt;" in page.text and "乱收费" in page.text
    assert "投诉处理" in boss.get("/console/").text
    case_id = page.text.split("/console/complaints/")[1].split("/reply")[0]
    # The neighbour township cannot answer it by guessing the id.
    other_page = neighbour.get("/console/complaints")
    resp = neighbour.post(f"/console/complaints/{case_id}/reply", data={"csrf": csrf_of(other_page.text), "reply": "x"})
    assert resp.status_code == 404
    resp = boss.post(f"/console/complaints/{case_id}/reply", data={"csrf": csrf_of(page.text), "reply": "已约谈，退还费用"})
    assert resp.status_code == 303
    assert "已约谈，退还费用" in boss.get("/console/complaints").text
    # Without the CSRF token nothing happens.
    assert boss.post(f"/console/complaints/{case_id}/reply", data={"reply": "x"}).status_code == 403


def test_followup_deadline_is_five_working_days_by_default(server_app, monkeypatch):
    from server.models import FollowUp
    from server.public import service

    sessions = server_app.state.sessions
    friday = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)  # a Friday
    _bad_rating(sessions, received=friday)
    with write_session(sessions) as session:
        assert service.open_followups(session) == 1
        assert service.open_followups(session) == 0  # idempotent sweep
    with sessions() as session:
        assert session.execute(select(FollowUp)).scalar_one().deadline == date(2026, 11, 27)
    from server.core.config import process_settings

    monkeypatch.setenv("BIANMIN_FOLLOWUP_DAYS", "2")
    process_settings.cache_clear()  # the environment is read once per process
    try:
        _bad_rating(sessions, level=1, received=friday)
        _bad_rating(sessions, level=3, received=friday)  # 基本满意: no follow-up
        with write_session(sessions) as session:
            assert service.open_followups(session) == 1
    finally:
        monkeypatch.delenv("BIANMIN_FOLLOWUP_DAYS")
        process_settings.cache_clear()
    with sessions() as session:
        deadlines = sorted(f.deadline for f in session.execute(select(FollowUp)).scalars())
        assert deadlines == [date(2026, 11, 24), date(2026, 11, 27)]


def test_followup_deadline_skips_console_holidays(server_app):
    from server.models import FollowUp
    from server.models.console import HolidayEntry
    from server.public import service

    sessions = server_app.state.sessions
    with write_session(sessions) as session:
        session.add(HolidayEntry(day=date(2026, 11, 23), kind="holiday", name="测试假日"))
    _bad_rating(sessions, received=datetime(2026, 11, 20, 3, 0, tzinfo=UTC))
    with write_session(sessions) as session:
        service.open_followups(session)
    with sessions() as session:
        assert session.execute(select(FollowUp)).scalar_one().deadline == date(2026, 11, 30)


def test_supervisor_answers_a_general_bad_rating_and_report_counts(server_app):
    sessions = server_app.state.sessions
    _bad_rating(sessions)
    _complaint(sessions, text="无人值班")
    boss = sign_in(server_app, make_user(sessions, "township_staff", TOWNSHIP))
    page = boss.get("/console/followups")
    assert "对便民服务室的总体评价" in page.text and "态度差" in page.text and "不满意" in page.text
    follow_id = page.text.split("/console/followups/")[1].split("/answer")[0]
    empty = boss.post(f"/console/followups/{follow_id}/answer", data={"csrf": csrf_of(page.text), "answer": "  "})
    assert empty.status_code == 400 and "请填写回复内容" in empty.text
    ok = boss.post(f"/console/followups/{follow_id}/answer", data={"csrf": csrf_of(page.text), "answer": "已整改"})
    assert ok.status_code == 303
    report = boss.get("/console/reports")
    assert report.status_code == 200 and 'id="r-complaints"' in report.text
    agent = sign_in(server_app, make_user(sessions, "village_agent", VILLAGE))
    assert 'id="r-complaints"' not in agent.get("/console/reports").text


def test_complaint_counts(server_app):
    from server.public import service

    sessions = server_app.state.sessions
    _complaint(sessions, received=datetime(2026, 10, 9, 2, 0, tzinfo=UTC))
    _complaint(sessions, received=datetime(2026, 10, 20, 2, 0, tzinfo=UTC))
    _complaint(sessions, received=datetime(2026, 11, 2, 2, 0, tzinfo=UTC))
    with write_session(sessions) as session:
        assert service.open_complaint_cases(session) == 3
    with sessions() as session:
        counts = service.complaint_counts(session, None, date(2026, 10, 1), date(2026, 11, 1))
    assert counts == {"total": 2, "answered": 0, "overdue": 2}


@pytest.mark.parametrize("level", [1, 2])
def test_bad_web_rating_shows_pending_then_answer(server_app, client, level):
    from server.models import FollowUp
    from server.public import service

    sessions = server_app.state.sessions
    app = make_application(sessions, ["accepted", "approved", "completed"])
    assert client.post(f"/t/{app['token']}/rate", data={"level": str(level), "reasons": "slow"},
                       follow_redirects=False).status_code == 303
    page = client.get(f"/t/{app['token']}").text
    assert "监督人员" in page and "前回复" in page
    with write_session(sessions) as session:
        service.answer_followup(session, session.execute(select(FollowUp)).scalar_one(), "已督办", "镇里")
    page = client.get(f"/t/{app['token']}").text
    assert "已督办" in page and "前回复" not in page
