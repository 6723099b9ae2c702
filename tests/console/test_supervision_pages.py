"""Supervisors' pages moved into the console (issue 14): their GETs write nothing, and a
差评 or complaint that arrived by sync without a follow-up row is listed and answerable."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select

from server.db import write_session
from tests.console.conftest import csrf_of, sign_in


def _bad_rating_and_complaint(sessions, village_id: int) -> tuple[int, int]:  # noqa: ANN001
    from server.models import Complaint, Rating

    now = datetime.now(UTC)
    with write_session(sessions) as s:
        rating = Rating(uuid=str(uuid.uuid4()), village_id=village_id, stage="general", level=1, reasons=["attitude"],
                        text="态度差", created_at=now, updated_at=now, received_at=now)
        complaint = Complaint(uuid=str(uuid.uuid4()), village_id=village_id, category="fee", text="乱收费了",
                              contact="", created_at=now, updated_at=now, received_at=now)
        s.add_all([rating, complaint])
        s.flush()
        return rating.id, complaint.id


def test_supervision_gets_write_nothing_and_posts_open_the_case(client, sessions, world) -> None:  # noqa: ANN001
    from server.models import ComplaintCase, FollowUp

    rating_id, complaint_id = _bad_rating_and_complaint(sessions, world.a.id)
    township = sign_in(client.app, world.users["township"])
    with sessions() as s:
        before = (s.scalar(select(func.count()).select_from(FollowUp)), s.scalar(select(func.count()).select_from(ComplaintCase)))
    followups = township.get("/console/followups")
    complaints = township.get("/console/complaints")
    assert "态度差" in followups.text and f"/console/followups/{rating_id}/answer" in followups.text
    assert "乱收费了" in complaints.text and f"/console/complaints/{complaint_id}/reply" in complaints.text
    with sessions() as s:
        after = (s.scalar(select(func.count()).select_from(FollowUp)), s.scalar(select(func.count()).select_from(ComplaintCase)))
    assert after == before  # no GET writes
    r = township.post(f"/console/followups/{rating_id}/answer", data={"csrf": csrf_of(followups.text), "answer": "已回访"})
    assert r.status_code == 303 and r.headers["location"].endswith(f"#followup-{rating_id}")
    r = township.post(f"/console/complaints/{complaint_id}/reply", data={"csrf": csrf_of(complaints.text), "reply": "已退费"})
    assert r.status_code == 303
    with sessions() as s:
        assert s.scalar(select(FollowUp.answer).where(FollowUp.rating_id == rating_id)) == "已回访"
        assert s.scalar(select(ComplaintCase.reply).where(ComplaintCase.complaint_id == complaint_id)) == "已退费"
    # The village's own agent cannot see or answer them.
    agent = sign_in(client.app, world.users["agent_a"])
    assert agent.get("/console/followups").status_code == 403
