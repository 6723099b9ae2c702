"""The console's kiosk health page (issue 13 §2) and the kiosks' change requests (§3)."""

from __future__ import annotations

from sqlalchemy import select

from server.db import write_session
from server.models import Application
from server.services.applications import change_status
from tests.console.conftest import app_id, push_application, sign_in
from tests.server.helpers import now_iso


def test_every_visible_kiosk_with_pending_and_quarantined_records_and_versions(client, server_app, world):
    report = {"software_version": "0.1.0", "catalogue_version": "7", "pending": 3, "quarantined_total": 1,
              "quarantined": [{"kind": "queue_ticket", "uuid": "3f1c2a9e-0000-4000-8000-000000000001",
                               "reason": "window: 最多 20 个字符"}]}
    r = client.post("/api/v1/sync/health", json=report, headers=world.kiosk_headers)
    assert r.status_code == 204, r.text
    page = sign_in(server_app, world.users["agent_a"]).get("/console/kiosks")
    assert page.status_code == 200
    html = page.text
    assert "甲嘎查" in html and "0.1.0" in html and "最多 20 个字符" in html and "3f1c2a9e" in html
    assert ">3<" in html  # pending
    other = sign_in(server_app, world.users["agent_b"]).get("/console/kiosks").text
    assert "3f1c2a9e" not in other  # another village's agent does not see this kiosk


def test_a_kiosk_correction_after_the_agent_acted_is_listed_for_review(client, server_app, sessions, world):
    uuid = push_application(client, world, applicant_name="王秀英")
    with write_session(sessions) as s:
        app = s.execute(select(Application).where(Application.uuid == uuid)).scalar_one()
        change_status(s, app, "accepted", "user:1")
    from tests.server.helpers import application_record

    record = application_record(world.a.code, uuid=uuid, applicant_name="王秀兰", updated_at=now_iso(5))
    with sessions() as s:
        original = s.execute(select(Application).where(Application.uuid == uuid)).scalar_one()
        record.update(token=original.token, short_code=original.short_code)
    r = client.post("/api/v1/sync/push", json={"records": [record]}, headers=world.kiosk_headers)
    assert r.json()["results"][0]["result"] == "change_requested"
    html = sign_in(server_app, world.users["agent_a"]).get("/console/kiosks").text
    assert "王秀英 → 王秀兰" in html and f'/applications/{app_id(sessions, uuid)}"' in html
