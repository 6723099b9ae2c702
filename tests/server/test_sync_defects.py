"""Regression tests for the four sync defects of issue 13 (and the ownership holes of issue 14),
on SQLite and PostgreSQL. Each was written first and failed on the code before the fix."""

from __future__ import annotations

import threading
import time
import uuid as uuidlib

import pytest
from sqlalchemy import func, select

from server.db import write_session
from server.models import Application, ApplicationEvent, Device, Rating
from server.models.console import AuditEntry
from server.services.applications import change_status
from tests.server.helpers import (
    add_village,
    application_record,
    complaint_record,
    enrol_device,
    enrolment_code,
    now_iso,
    queue_ticket_record,
    rating_record,
)

PUSH = "/api/v1/sync/push"
STATUS = "/api/v1/sync/status"


# ----- 1. a poison record is a 422 naming its field, never a 500 ----------------------------

POISON = [
    ("window", lambda v: queue_ticket_record(v, window="一" * 21)),
    ("note", lambda v: application_record(v, note="a\x00b")),
    ("applicant_name", lambda v: application_record(v, applicant_name="王\x00")),
    ("item_version", lambda v: application_record(v, item_version=2**63)),
    ("created_at", lambda v: application_record(v, created_at="0001-01-01T00:00:00+14:00")),
    ("issued_at", lambda v: queue_ticket_record(v, issued_at="0001-01-01T00:00:00+14:00")),
    ("text", lambda v: complaint_record(v, text="投诉\x00")),
    ("reasons[0]", lambda v: rating_record(v, reasons=["x" * 200])),
]


@pytest.mark.parametrize(("field", "make"), POISON, ids=[p[0] for p in POISON])
def test_a_poison_record_is_a_422_naming_the_field(client, kiosk, field, make):
    good = application_record(kiosk.village_code)
    r = client.post(PUSH, json={"records": [good, make(kiosk.village_code)]}, headers=kiosk.headers)
    assert r.status_code == 422, r.text
    fields = [e["field"] for e in r.json()["errors"]]
    assert any(f.startswith("records[1].") and f.endswith(field) for f in fields), fields


# ----- 2. a kiosk push never overwrites what the agents own ----------------------------------

def test_a_late_kiosk_correction_does_not_overwrite_the_agents_work(client, sessions, kiosk):
    record = application_record(kiosk.village_code, materials_missing=["户口簿", "照片"])
    assert client.post(PUSH, json={"records": [record]}, headers=kiosk.headers).status_code == 200
    with write_session(sessions) as s:  # the agent records that only one material is still missing
        app = s.execute(select(Application).where(Application.uuid == record["uuid"])).scalar_one()
        change_status(s, app, "awaiting_materials", "user:1", missing_materials=["照片"])
    corrected = dict(record, applicant_name="王秀兰", updated_at=now_iso(5))
    r = client.post(PUSH, json={"records": [corrected]}, headers=kiosk.headers)
    assert r.status_code == 200, r.text
    assert r.json()["results"][0]["result"] == "change_requested"
    with sessions() as s:
        app = s.execute(select(Application).where(Application.uuid == record["uuid"])).scalar_one()
        assert app.materials_missing == ["照片"]
        assert app.applicant_name == "王秀英"
        audit = s.execute(select(AuditEntry).where(AuditEntry.target_type == "application",
                                                   AuditEntry.target_id == str(app.id))).scalars().all()
        assert [a.action for a in audit] == ["kiosk_change_request"]
        assert "王秀兰" in audit[0].note


def test_before_an_agent_acts_a_correction_applies_but_never_to_agent_fields(client, sessions, kiosk):
    record = application_record(kiosk.village_code, materials_missing=["户口簿"])
    assert client.post(PUSH, json={"records": [record]}, headers=kiosk.headers).status_code == 200
    corrected = dict(record, applicant_name="王秀兰", materials_missing=[], promised_days=1, updated_at=now_iso(5))
    r = client.post(PUSH, json={"records": [corrected]}, headers=kiosk.headers)
    assert r.json()["results"][0]["result"] == "updated"
    with sessions() as s:
        app = s.execute(select(Application).where(Application.uuid == record["uuid"])).scalar_one()
        assert (app.applicant_name, app.materials_missing, app.promised_days) == ("王秀兰", ["户口簿"], 5)


# ----- 3. the status feed never skips an event that commits late (PostgreSQL) -----------------

def test_an_event_committed_late_still_reaches_the_kiosk_in_order(client, sessions, kiosk):
    records = [application_record(kiosk.village_code) for _ in range(2)]
    assert client.post(PUSH, json={"records": records}, headers=kiosk.headers).status_code == 200
    cursor = ""
    seen: list[tuple[str, str]] = []

    def pull() -> None:
        nonlocal cursor
        while True:
            page = client.get(STATUS, params={"since": cursor}, headers=kiosk.headers).json()
            seen.extend((c["application_uuid"], c["status"]) for c in page["changes"])
            cursor = page["cursor"]
            if not page["more"]:
                return

    pull()
    assert len(seen) == 2
    slow_has_written = threading.Event()
    release = threading.Event()

    def slow_transition() -> None:  # takes the lower event id, commits last
        with write_session(sessions) as s:
            app = s.execute(select(Application).where(Application.uuid == records[0]["uuid"])).scalar_one()
            change_status(s, app, "accepted", "user:1")
            slow_has_written.set()
            release.wait(10)

    slow = threading.Thread(target=slow_transition)
    slow.start()
    assert slow_has_written.wait(10)
    if sessions.kw["bind"].dialect.name == "sqlite":
        release.set()  # SQLite has one writer at a time: the second transition waits for the first
    with write_session(sessions) as s:
        app = s.execute(select(Application).where(Application.uuid == records[1]["uuid"])).scalar_one()
        change_status(s, app, "accepted", "user:2")
    pull()  # the kiosk polls while the first transition is still open
    release.set()
    slow.join(10)
    time.sleep(0.05)
    pull()
    assert sorted(seen[2:]) == sorted([(records[0]["uuid"], "accepted"), (records[1]["uuid"], "accepted")])
    with sessions() as s:  # every event exactly once
        assert s.execute(select(func.count()).select_from(ApplicationEvent)
                         .where(ApplicationEvent.village_id == s.get(Device, kiosk.device_id).village_id)
                         ).scalar_one() == len(seen)


def test_a_cursor_past_the_integer_range_is_a_422(client, kiosk):
    import base64

    for value in ("e1:99999999999999999999", "e1:-1", "x1:5"):
        cursor = base64.urlsafe_b64encode(value.encode()).decode().rstrip("=")
        r = client.get(STATUS, params={"since": cursor}, headers=kiosk.headers)
        assert r.status_code == 422, (value, r.text)
        assert r.json()["errors"][0]["field"] == "since"


# ----- 4. a lost enrolment reply does not burn the code ---------------------------------------

def test_retrying_enrolment_with_the_same_key_returns_the_same_device(client, sessions, village):
    code = enrolment_code(sessions, village.code)
    key = uuidlib.uuid4().hex + uuidlib.uuid4().hex
    first = client.post("/api/v1/enrol", json={"code": code, "name": "k1", "enrolment_key": key})
    assert first.status_code == 200, first.text
    again = client.post("/api/v1/enrol", json={"code": code, "name": "k1", "enrolment_key": key})
    assert again.status_code == 200, again.text
    assert again.json()["device_id"] == first.json()["device_id"]
    token = again.json()["token"]
    assert client.get("/api/v1/device", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    # the lost first token no longer works: only one live credential per device
    lost = first.json()["token"]
    assert client.get("/api/v1/device", headers={"Authorization": f"Bearer {lost}"}).status_code == 401
    other = client.post("/api/v1/enrol", json={"code": code, "enrolment_key": "k" * 64})
    assert other.status_code == 403
    with sessions() as s:
        assert s.execute(select(func.count()).select_from(Device)
                         .where(Device.village_id == village.id)).scalar_one() == 1


# ----- issue 14: a kiosk touches only its own village's records --------------------------------

def test_a_kiosk_cannot_rate_another_villages_application(client, sessions, village, kiosk):
    other_code = add_village(sessions, village.township_id).code
    other = enrol_device(client, sessions, other_code, name="other")
    theirs = application_record(other.village_code)
    assert client.post(PUSH, json={"records": [theirs]}, headers=other.headers).status_code == 200
    bad = rating_record(kiosk.village_code, application_uuid=theirs["uuid"], stage="completion", level=1)
    good = rating_record(kiosk.village_code)
    r = client.post(PUSH, json={"records": [good, bad]}, headers=kiosk.headers)
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert results[0]["result"] == "created"
    assert results[1]["result"] == "rejected" and "application_uuid" in results[1]["error"]
    with sessions() as s:
        assert s.execute(select(Rating).where(Rating.uuid == bad["uuid"])).scalar_one_or_none() is None


@pytest.mark.parametrize("token", ["a" * 22, "A" * 64, "abababababababababababab"[:22]])
def test_weak_tracking_tokens_are_refused(client, kiosk, token):
    r = client.post(PUSH, json={"records": [application_record(kiosk.village_code, token=token)]},
                    headers=kiosk.headers)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "records[0].token"
