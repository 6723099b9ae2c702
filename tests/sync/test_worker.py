"""The kiosk's SyncWorker against a live server (SQLite and PostgreSQL)."""

from __future__ import annotations

import random
import threading
import time

import pytest
from sqlalchemy import func, select

from server.db import write_session
from server.models import Application, ApplicationEvent, Notice
from server.services.applications import change_status
from server.services.content import publish_catalogue
from server.services.devices import revoke_device
from server_client import outbox, status
from server_client.client import ServerClient
from server_client.worker import SyncWorker
from tests.server.helpers import add_village, application_record
from tests.sync import fake_records


def server_count(sessions, **where) -> int:  # noqa: ANN001
    with sessions() as s:
        stmt = select(func.count()).select_from(Application)
        for k, v in where.items():
            stmt = stmt.where(getattr(Application, k) == v)
        return s.execute(stmt).scalar_one()


def worker_for(store, url: str, token: str, **kw) -> SyncWorker:  # noqa: ANN001
    kw.setdefault("install_catalogue", None)
    return SyncWorker(store, ServerClient(url, token, timeout=(2, 10)), batch_size=kw.pop("batch_size", 100), **kw)


def test_a_day_offline_then_everything_uploads_exactly_once(store, live_server, sessions, kiosk, village):
    records = [application_record(village.code) for _ in range(250)]
    fake_records.add(store, records)
    states = []
    offline = worker_for(store, "http://127.0.0.1:9", kiosk.token, listener=states.append)  # nothing listens
    assert offline.sync_once() is False
    assert states[-1].online is False and states[-1].error_key == "sync.offline"
    assert outbox.pending_count(store) == 250

    worker = worker_for(store, live_server.url, kiosk.token, listener=states.append)
    assert worker.sync_once() is True
    assert outbox.pending_count(store) == 0
    assert states[-1].online and states[-1].pending == 0 and states[-1].last_sync is not None
    assert server_count(sessions, village_id=village.id) == 250
    assert worker.sync_once() is True  # nothing left: a second round changes nothing
    assert server_count(sessions, village_id=village.id) == 250


def test_a_record_edited_during_upload_stays_queued_and_goes_up_next(store, live_server, sessions, kiosk, village):
    rec = application_record(village.code, note="first")
    fake_records.add(store, [rec])
    client = ServerClient(live_server.url, kiosk.token)
    real_push = client.push

    def push_and_edit(records):  # noqa: ANN001, ANN202
        result = real_push(records)
        fake_records.edit(store, rec["uuid"], note="edited while uploading")  # another thread, same moment
        return result

    client.push = push_and_edit
    worker = SyncWorker(store, client, install_catalogue=None)
    assert worker.sync_once()
    assert outbox.pending_count(store) == 1  # the edited version is still queued
    client.push = real_push
    assert worker.sync_once()
    assert outbox.pending_count(store) == 0
    with sessions() as s:
        assert s.execute(select(Application.note).where(Application.uuid == rec["uuid"])).scalar() == \
            "edited while uploading"


def test_revoked_kiosk_shows_not_enrolled_and_keeps_its_records(store, live_server, sessions, kiosk, village):
    with write_session(sessions) as s:
        revoke_device(s, kiosk.device_id)
    fake_records.add(store, [application_record(village.code) for _ in range(3)])
    worker = worker_for(store, live_server.url, kiosk.token)
    assert worker.sync_once() is False
    assert worker.state.unauthorized and worker.state.pending == 3
    assert outbox.pending_count(store) == 3


def test_records_for_another_village_are_quarantined_and_the_rest_syncs(store, live_server, sessions, kiosk, village):
    other = add_village(sessions, village.township_id, suffix="009")
    foreign = application_record(other.code)
    fake_records.add(store, [foreign, application_record(village.code)])
    worker = worker_for(store, live_server.url, kiosk.token)
    assert worker.sync_once() is True
    assert server_count(sessions, village_id=village.id) == 1
    assert outbox.pending_count(store) == 0
    [held] = outbox.quarantined(store)
    assert held.uuid == foreign["uuid"] and "village_code" in held.reason
    assert worker.state.quarantined == 1


def test_an_invalid_local_record_is_marked_and_does_not_block_others(store, live_server, sessions, kiosk, village):
    good = [application_record(village.code) for _ in range(3)]
    bad = application_record(village.code, phone="not a phone")
    fake_records.add(store, [good[0], bad, *good[1:]])
    worker = worker_for(store, live_server.url, kiosk.token)
    assert worker.sync_once() is True
    assert server_count(sessions, village_id=village.id) == 3
    row = store.connect().execute("SELECT uuid, attempts, last_error FROM outbox").fetchone()
    assert row["uuid"] == bad["uuid"] and row["attempts"] == 1 and "phone" in row["last_error"]


def test_an_oversized_batch_is_split(db_url, server_settings, store, sessions, village):
    from server.main import create_app
    from tests.server.helpers import enrol_device
    from tests.sync.conftest import LiveServer

    app = create_app(server_settings.model_copy(update={"max_body_bytes": 8 * 1024}))
    live = LiveServer(app).start()
    try:
        from fastapi.testclient import TestClient

        with TestClient(app) as c:
            k = enrol_device(c, sessions, village.code)
        fake_records.add(store, [application_record(village.code, note="x" * 400) for _ in range(40)])
        worker = worker_for(store, live.url, k.token, batch_size=40)
        assert worker.sync_once() is True
        assert server_count(sessions, village_id=village.id) == 40
    finally:
        live.stop()
        app.state.engine.dispose()


def test_status_changes_reach_the_kiosk_cache_with_the_sync_time(store, live_server, sessions, kiosk, village):
    rec = application_record(village.code)
    fake_records.add(store, [rec])
    worker = worker_for(store, live_server.url, kiosk.token)
    assert worker.sync_once()
    assert status.cached_status(store, rec["uuid"]).status == "submitted"
    with write_session(sessions) as s:
        row = s.execute(select(Application).where(Application.uuid == rec["uuid"])).scalar_one()
        change_status(s, row, "awaiting_materials", actor="user:1", note="请补交户口簿", missing_materials=["户口簿"])
    assert worker.sync_once()
    cached = status.cached_status(store, rec["uuid"])
    assert cached.status == "awaiting_materials" and cached.missing_materials == ["户口簿"]
    assert cached.note == "请补交户口簿"
    assert cached.as_of is not None and cached.as_of == status.last_sync_time(store)
    with sessions() as s:  # the kiosk's own event plus the agent's
        assert s.execute(select(func.count()).select_from(ApplicationEvent)
                         .where(ApplicationEvent.application_id == row.id)).scalar_one() == 2


def test_documents_download_once_per_version(store, live_server, sessions, kiosk, village):
    installed = []
    with write_session(sessions) as s:
        publish_catalogue(s, {"items": []}, note="v")
    worker = worker_for(store, live_server.url, kiosk.token, install_catalogue=installed.append)
    assert worker.sync_once()
    assert installed == [{"items": []}]
    assert status.cached_document(store, "roster")["village"]["code"] == village.code
    assert worker.pull_documents() == []  # all 304
    with write_session(sessions) as s:
        s.add(Notice(village_id=village.id, title="新通知"))
    assert worker.pull_documents() == ["notices"]
    assert any(n["title"] == "新通知" for n in status.cached_document(store, "notices")["notices"])
    assert len(installed) == 1


def test_backoff_grows_with_jitter_and_is_capped(store):
    worker = SyncWorker(store, ServerClient("http://127.0.0.1:9"), base_backoff=2, max_backoff=60,
                        install_catalogue=None, rng=random.Random(7))
    delays = []
    for failures in range(1, 10):
        worker.failures = failures
        delays.append(worker.next_delay())
    for failures, delay in enumerate(delays, start=1):
        ceiling = min(60, 2 * 2 ** (failures - 1))
        assert ceiling / 2 <= delay <= ceiling
    assert len({round(d, 6) for d in delays}) == len(delays)  # jittered, not a fixed schedule


def test_the_worker_thread_never_blocks_the_caller(store, live_server, kiosk, village):
    fake_records.add(store, [application_record(village.code) for _ in range(20)])
    seen = threading.Event()
    worker = worker_for(store, live_server.url, kiosk.token, interval=60,
                        listener=lambda st: st.pending == 0 and st.last_sync and seen.set())
    started = time.monotonic()
    worker.start()
    assert time.monotonic() - started < 0.1
    assert seen.wait(15)
    fake_records.add(store, [application_record(village.code)])
    seen.clear()
    worker.wake()  # a new record: sync now, not in 60 s
    assert seen.wait(15)
    worker.stop()
    assert outbox.pending_count(store) == 0


@pytest.mark.parametrize("code_ok", [True, False])
def test_kiosk_enrol_writes_the_config(tmp_path, live_server, sessions, village, code_ok):
    import tomllib

    from server_client.enrol import run
    from tests.server.helpers import enrolment_code

    cfg = tmp_path / "bianmin.toml"
    cfg.write_text('[kiosk]\nidle_timeout = 120\n', encoding="utf-8")
    code = enrolment_code(sessions, village.code) if code_ok else "ZZZZ-ZZZZ-ZZZZ"
    import argparse

    rc = run(argparse.Namespace(config=str(cfg), server=live_server.url, code=code, name="t"))
    data = tomllib.loads(cfg.read_text(encoding="utf-8"))
    if code_ok:
        assert rc == 0
        assert data["server"]["url"] == live_server.url and data["server"]["device_token"].startswith("bmk_")
        assert data["room"]["code"] == village.code and data["kiosk"]["idle_timeout"] == 120
        from bianmin.config import load_config

        assert load_config(cfg).server.device_token == data["server"]["device_token"]
    else:
        assert rc == 2 and "server" not in data
