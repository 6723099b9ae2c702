"""The sync API on SQLite and PostgreSQL: enrolment, auth, village scope, validation,
idempotent upserts, status pull and ETags."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from server.db import write_session
from server.models import Application, ApplicationEvent, Complaint, Device, QueueTicket, Rating
from server.security import decrypt_id_number
from server.services.applications import change_status
from server.services.content import publish_catalogue
from server.services.devices import revoke_device
from tests.server.helpers import (
    add_village,
    application_record,
    complaint_record,
    enrol_device,
    enrolment_code,
    now_iso,
    queue_ticket_record,
    rating_record,
    seed_village,
)

PUSH = "/api/v1/sync/push"
STATUS = "/api/v1/sync/status"


def count(sessions, model, **where) -> int:  # noqa: ANN001
    with sessions() as s:
        stmt = select(func.count()).select_from(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return s.execute(stmt).scalar_one()


# ----- enrolment and auth -------------------------------------------------------------

def test_enrol_gives_a_token_that_is_stored_only_hashed(client, sessions, village):
    code = enrolment_code(sessions, village.code)
    r = client.post("/api/v1/enrol", json={"code": code.lower().replace("-", " "), "name": "k1"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["village_code"] == village.code and body["token"].startswith("bmk_")
    with sessions() as s:
        device = s.get(Device, body["device_id"])
        assert device.token_hash != body["token"] and len(device.token_hash) == 64
    me = client.get("/api/v1/device", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200 and me.json()["village_code"] == village.code


def test_enrolment_code_is_one_time(client, sessions, village):
    code = enrolment_code(sessions, village.code)
    assert client.post("/api/v1/enrol", json={"code": code}).status_code == 200
    again = client.post("/api/v1/enrol", json={"code": code})
    assert again.status_code == 403
    assert again.json()["errors"][0]["field"] == "code"
    assert "已使用" in again.json()["detail"]


def test_unknown_and_expired_codes_are_refused(client, sessions, village):
    assert client.post("/api/v1/enrol", json={"code": "AAAA-BBBB-CCCC"}).status_code == 403
    code = enrolment_code(sessions, village.code, hours=1)
    from server.models import EnrolmentCode
    from server.security import hash_enrolment_code

    with write_session(sessions) as s:
        row = s.execute(select(EnrolmentCode).where(EnrolmentCode.code_hash == hash_enrolment_code(code))).scalar_one()
        row.expires_at = row.created_at - timedelta(minutes=1)
    r = client.post("/api/v1/enrol", json={"code": code})
    assert r.status_code == 403 and "过期" in r.json()["detail"]


def test_enrolment_attempts_are_rate_limited_in_the_database(server_settings, sessions, village):
    from fastapi.testclient import TestClient

    from server.main import create_app

    app = create_app(server_settings.model_copy(update={"enrol_attempts_per_10min": 3}))
    with TestClient(app, client=(f"10.9.{village.id % 250}.{village.county_id % 250}", 5000)) as c:
        codes = [c.post("/api/v1/enrol", json={"code": "WRONG-CODE-1"}).status_code for _ in range(4)]
    app.state.engine.dispose()
    assert codes == [403, 403, 403, 429]


def test_missing_unknown_and_revoked_tokens_get_401(client, sessions, kiosk, village):
    rec = application_record(village.code)
    assert client.post(PUSH, json={"records": [rec]}).status_code == 401
    assert client.get(STATUS, headers={"Authorization": "Bearer bmk_nope"}).status_code == 401
    assert client.post(PUSH, json={"records": [rec]}, headers=kiosk.headers).status_code == 200
    with write_session(sessions) as s:
        revoke_device(s, kiosk.device_id)
    r = client.post(PUSH, json={"records": [application_record(village.code)]}, headers=kiosk.headers)
    assert r.status_code == 401
    assert "终端未登记/已停用" in r.json()["detail"]
    assert client.get("/api/v1/roster", headers=kiosk.headers).status_code == 401


# ----- village scope ------------------------------------------------------------------

def test_a_record_for_another_village_refuses_the_whole_batch(client, sessions, kiosk, village):
    other = add_village(sessions, village.township_id)
    good = application_record(village.code)
    foreign = application_record(other.code)
    r = client.post(PUSH, json={"records": [good, foreign]}, headers=kiosk.headers)
    assert r.status_code == 403
    assert r.json()["errors"][0]["field"] == "records[1].village_code"
    assert count(sessions, Application, uuid=good["uuid"]) == 0  # nothing from the batch stored


def test_a_kiosk_cannot_overwrite_another_villages_record_by_uuid(client, sessions, kiosk, village):
    other = add_village(sessions, village.township_id, suffix="003")
    other_kiosk = enrol_device(client, sessions, other.code)
    theirs = application_record(other.code)
    assert client.post(PUSH, json={"records": [theirs]}, headers=other_kiosk.headers).status_code == 200
    hijack = dict(theirs, village_code=village.code, applicant_name="张三", updated_at=now_iso(60))
    r = client.post(PUSH, json={"records": [hijack]}, headers=kiosk.headers)
    assert r.status_code == 403 and r.json()["errors"][0]["field"] == "records[0].uuid"
    with sessions() as s:
        assert s.execute(select(Application.applicant_name).where(Application.uuid == theirs["uuid"])).scalar() == "王秀英"


# ----- validation ---------------------------------------------------------------------

def test_malformed_records_get_422_naming_each_field(client, kiosk, village):
    bad_phone = application_record(village.code, phone="12x")
    no_uuid = application_record(village.code)
    del no_uuid["uuid"]
    r = client.post(PUSH, json={"records": [application_record(village.code), bad_phone, no_uuid]},
                    headers=kiosk.headers)
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert fields == {"records[1].phone", "records[2].uuid"}


def test_unknown_kind_extra_field_bad_json_and_empty_batch(client, kiosk, village):
    h = kiosk.headers
    r = client.post(PUSH, json={"records": [dict(application_record(village.code), kind="spaceship")]}, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"].startswith("records[0]")
    r = client.post(PUSH, json={"records": [dict(application_record(village.code), extra=1)]}, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "records[0].extra"
    r = client.post(PUSH, content=b'{"records": [', headers={**h, "content-type": "application/json"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body"
    r = client.post(PUSH, json={"records": []}, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "records"
    r = client.post(PUSH, json={"records": [application_record(village.code) for _ in range(201)]}, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "records"


def test_oversized_bodies_get_413_with_or_without_content_length(client, kiosk):
    big = b'{"records": [' + b" " * (3 * 1024 * 1024) + b"]}"
    r = client.post(PUSH, content=big, headers={**kiosk.headers, "content-type": "application/json"})
    assert r.status_code == 413 and r.json()["errors"][0]["field"] == "body"

    def chunks():
        for _ in range(40):
            yield b" " * (100 * 1024)

    r = client.post(PUSH, content=chunks(), headers={**kiosk.headers, "content-type": "application/json"})
    assert r.status_code == 413


# ----- idempotent upserts -------------------------------------------------------------

def test_every_kind_is_stored_once_however_often_it_is_pushed(client, sessions, kiosk, village):
    records = [application_record(village.code), queue_ticket_record(village.code), rating_record(village.code),
               complaint_record(village.code)]
    first = client.post(PUSH, json={"records": records}, headers=kiosk.headers)
    assert first.status_code == 200
    assert [r["result"] for r in first.json()["results"]] == ["created"] * 4
    again = client.post(PUSH, json={"records": records + records}, headers=kiosk.headers)
    assert [r["result"] for r in again.json()["results"]] == ["unchanged"] * 8
    for model, rec in zip((Application, QueueTicket, Rating, Complaint), records, strict=True):
        assert count(sessions, model, uuid=rec["uuid"]) == 1
    assert count(sessions, ApplicationEvent, village_id=village.id) == 1


def test_duplicates_within_a_batch_keep_the_newest_copy(client, sessions, kiosk, village):
    old = application_record(village.code, applicant_name="旧名")
    new = dict(old, applicant_name="新名", updated_at=now_iso(5))
    r = client.post(PUSH, json={"records": [new, old]}, headers=kiosk.headers)
    assert [x["result"] for x in r.json()["results"]] == ["created", "unchanged"]
    with sessions() as s:
        assert s.execute(select(Application.applicant_name).where(Application.uuid == old["uuid"])).scalar() == "新名"


def test_an_older_copy_never_overwrites_a_newer_one(client, sessions, kiosk, village):
    v1 = application_record(village.code, note="v1")
    v2 = dict(v1, note="v2", updated_at=now_iso(10))
    assert client.post(PUSH, json={"records": [v1]}, headers=kiosk.headers).json()["results"][0]["result"] == "created"
    assert client.post(PUSH, json={"records": [v2]}, headers=kiosk.headers).json()["results"][0]["result"] == "updated"
    late = client.post(PUSH, json={"records": [v1]}, headers=kiosk.headers)  # a delayed retry of v1
    assert late.json()["results"][0]["result"] == "unchanged"
    with sessions() as s:
        assert s.execute(select(Application.note).where(Application.uuid == v1["uuid"])).scalar() == "v2"


def test_id_numbers_are_encrypted_at_rest(client, sessions, kiosk, village, server_app):
    rec = application_record(village.code, id_number="11010519491231002X")
    client.post(PUSH, json={"records": [rec]}, headers=kiosk.headers)
    with sessions() as s:
        blob = s.execute(select(Application.id_number_enc).where(Application.uuid == rec["uuid"])).scalar()
    assert blob and b"11010519491231002X" not in blob
    assert decrypt_id_number(server_app.state.fernet, blob) == "11010519491231002X"


def test_a_token_collision_is_reported_per_record(client, sessions, kiosk, village):
    first = application_record(village.code)
    clash = application_record(village.code, token=first["token"])
    other = queue_ticket_record(village.code)
    client.post(PUSH, json={"records": [first]}, headers=kiosk.headers)
    r = client.post(PUSH, json={"records": [clash, other]}, headers=kiosk.headers)
    assert r.status_code == 200
    results = r.json()["results"]
    assert results[0]["result"] == "rejected" and "token" in results[0]["error"]
    assert results[1]["result"] == "created"


# ----- status pull --------------------------------------------------------------------

def test_status_changes_are_pulled_by_cursor_for_the_own_village_only(client, sessions, kiosk, village):
    other = add_village(sessions, village.township_id, suffix="004")
    other_kiosk = enrol_device(client, sessions, other.code)
    mine = application_record(village.code)
    theirs = application_record(other.code)
    client.post(PUSH, json={"records": [mine]}, headers=kiosk.headers)
    client.post(PUSH, json={"records": [theirs]}, headers=other_kiosk.headers)

    page = client.get(STATUS, headers=kiosk.headers).json()
    assert [c["application_uuid"] for c in page["changes"]] == [mine["uuid"]]
    assert page["changes"][0]["status"] == "submitted"
    cursor = page["cursor"]
    assert client.get(STATUS, params={"since": cursor}, headers=kiosk.headers).json()["changes"] == []

    with write_session(sessions) as s:
        app_row = s.execute(select(Application).where(Application.uuid == mine["uuid"])).scalar_one()
        change_status(s, app_row, "accepted", actor="user:1", note="已受理")
    page = client.get(STATUS, params={"since": cursor}, headers=kiosk.headers).json()
    assert [(c["status"], c["note"]) for c in page["changes"]] == [("accepted", "已受理")]
    assert page["changes"][0]["due_date"] is not None
    assert page["cursor"] != cursor


def test_status_pages_and_bad_cursors(client, sessions, kiosk, village):
    records = [application_record(village.code) for _ in range(5)]
    client.post(PUSH, json={"records": records}, headers=kiosk.headers)
    seen, cursor = [], ""
    for _ in range(10):
        page = client.get(STATUS, params={"since": cursor, "limit": 2}, headers=kiosk.headers).json()
        seen += [c["application_uuid"] for c in page["changes"]]
        cursor = page["cursor"]
        if not page["more"]:
            break
    assert sorted(seen) == sorted(r["uuid"] for r in records)
    bad = client.get(STATUS, params={"since": "not-a-cursor"}, headers=kiosk.headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "since"


def test_recent_events_are_held_back_for_the_settle_window(server_settings, sessions, village):
    from fastapi.testclient import TestClient

    from server.main import create_app

    app = create_app(server_settings.model_copy(update={"status_settle_seconds": 30}))
    with TestClient(app) as c:
        k = enrol_device(c, sessions, village.code)
        c.post(PUSH, json={"records": [application_record(village.code)]}, headers=k.headers)
        page = c.get(STATUS, headers=k.headers).json()
    app.state.engine.dispose()
    assert page["changes"] == [] and page["cursor"]


# ----- documents with ETags -----------------------------------------------------------

def test_roster_and_notices_answer_304_until_they_change(client, sessions, kiosk, village):
    from server.models import Agent, Notice

    r = client.get("/api/v1/roster", headers=kiosk.headers)
    assert r.status_code == 200 and len(r.json()["agents"]) == 2
    etag = r.headers["etag"]
    assert client.get("/api/v1/roster", headers={**kiosk.headers, "If-None-Match": etag}).status_code == 304
    with write_session(sessions) as s:
        s.add(Agent(village_id=village.id, name="新代办员", position="代办员"))
    changed = client.get("/api/v1/roster", headers={**kiosk.headers, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag

    n = client.get("/api/v1/notices", headers=kiosk.headers)
    with write_session(sessions) as s:
        s.add(Notice(village_id=village.id, title="停水通知", body="周三停水"))
    n2 = client.get("/api/v1/notices", headers={**kiosk.headers, "If-None-Match": n.headers["etag"]})
    assert n2.status_code == 200 and any(x["title"] == "停水通知" for x in n2.json()["notices"])
    n3 = client.get("/api/v1/notices", headers={**kiosk.headers, "If-None-Match": n2.headers["etag"]})
    assert n3.status_code == 304


def test_catalogue_versions_and_etag(client, sessions, kiosk):
    with write_session(sessions) as s:
        publish_catalogue(s, {"items": [], "version": "test"}, note="t")
    r = client.get("/api/v1/catalogue", headers=kiosk.headers)
    assert r.status_code == 200
    version, etag = r.json()["version"], r.headers["etag"]
    assert r.headers["x-catalogue-version"] == str(version)
    assert client.get("/api/v1/catalogue", headers={**kiosk.headers, "If-None-Match": etag}).status_code == 304
    with write_session(sessions) as s:
        publish_catalogue(s, {"items": [], "version": "test2"})
    r2 = client.get("/api/v1/catalogue", headers={**kiosk.headers, "If-None-Match": etag})
    assert r2.status_code == 200 and r2.json()["version"] == version + 1


def test_schema_matches_the_models_after_migrations(db_url):
    """Models and migrations never drift: a model change needs a migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from server.db import make_engine
    from server.models import Base

    engine = make_engine(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_seed_demo_is_idempotent_and_issues_a_code(db_url):
    from server.db import make_engine, make_sessionmaker
    from server.seed import seed_demo

    engine = make_engine(db_url)
    factory = make_sessionmaker(engine)
    with write_session(factory) as s:
        first = seed_demo(s)
    with write_session(factory) as s:
        second = seed_demo(s)
    engine.dispose()
    assert second.created is False and first.enrolment_code != second.enrolment_code
    _ = seed_village  # re-exported for other test modules
