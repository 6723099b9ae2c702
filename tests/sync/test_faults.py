"""Fault injection: exactly-once upload through a misbehaving network and server restarts,
and a sync worker process killed with SIGKILL mid-batch."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import func, select

from bianmin.local import outbox
from bianmin.store import LocalStore
from server import migrate
from server.db import make_engine, make_sessionmaker
from server.models import Application, ApplicationEvent
from server_client.client import ServerClient
from server_client.worker import SyncWorker
from tests.server.helpers import application_record, enrolment_code, seed_village
from tests.sync import fake_records
from tests.sync.faults import FaultyProxy, ServerProcess

pytestmark = pytest.mark.slow

N = 1000


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def server_db(request, tmp_path, make_postgres_db):  # noqa: ANN001, ANN201
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
        migrate.upgrade(url)
    else:
        url = make_postgres_db()
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    village = seed_village(sessions)
    yield url, sessions, village
    engine.dispose()


def _enrol(server: ServerProcess, sessions, village) -> str:  # noqa: ANN001
    import requests

    code = enrolment_code(sessions, village.code)
    reply = requests.post(server.url + "/api/v1/enrol", json={"code": code}, timeout=10)
    assert reply.status_code == 200, reply.text
    return reply.json()["token"]


def _server_totals(sessions, village_id: int) -> tuple[int, int, int]:  # noqa: ANN001
    with sessions() as s:
        apps = s.execute(select(func.count()).select_from(Application).where(Application.village_id == village_id))
        uuids = s.execute(select(func.count(func.distinct(Application.uuid))).where(Application.village_id == village_id))
        events = s.execute(select(func.count()).select_from(ApplicationEvent)
                           .where(ApplicationEvent.village_id == village_id, ApplicationEvent.from_status.is_(None)))
        return apps.scalar_one(), uuids.scalar_one(), events.scalar_one()


def test_exactly_once_through_drops_duplicates_delays_and_server_restarts(tmp_path, server_db, serializers):
    url, sessions, village = server_db
    server = ServerProcess(url, str(tmp_path / "home"))
    server.start()
    proxy = FaultyProxy(server.url, seed=11, drop_before=0.1, drop_after=0.15, duplicate=0.1,
                        replay_late=0.1).start()
    store = LocalStore(tmp_path / "kiosk.sqlite3")
    fake_records.install(store)  # the `serializers` fixture registers the fake one and restores the real ones
    try:
        token = _enrol(server, sessions, village)
        records = [application_record(village.code, note="v1") for _ in range(N)]
        fake_records.add(store, records)
        worker = SyncWorker(store, ServerClient(proxy.url, token, timeout=(1, 5)), batch_size=50,
                            documents=(), install_catalogue=None, base_backoff=0.05, max_backoff=0.4)

        def restarts() -> None:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                time.sleep(0.8)
                server.stop(sig)
                time.sleep(0.3)
                server.start()

        restarter = threading.Thread(target=restarts)
        restarter.start()
        edited = {}
        deadline = time.monotonic() + 150
        rounds = 0
        while time.monotonic() < deadline:
            rounds += 1
            if rounds == 3:  # villagers' records corrected while uploads are in flight
                for rec in records[:100]:
                    edited[rec["uuid"]] = fake_records.edit(store, rec["uuid"], note="v2")["note"]
            ok = worker.sync_once()
            if ok and not restarter.is_alive() and outbox.pending_count(store) == 0:
                break
            time.sleep(worker.next_delay() if not ok else 0.05)
        restarter.join()
        proxy.stop()  # waits for the late replays of stale copies to land
        assert outbox.pending_count(store) == 0
        assert _server_totals(sessions, village.id) == (N, N, N)
        with sessions() as s:
            notes = dict(s.execute(select(Application.uuid, Application.note)
                                   .where(Application.uuid.in_(list(edited)))).all())
        assert notes == {u: "v2" for u in edited}  # a stale replay never overwrote a newer copy
        stats = proxy.stats
        assert stats["dropped_after"] and stats["duplicated"] and stats["replayed"] and stats["upstream_down"]
    finally:
        proxy.httpd.server_close()
        server.stop()
        store.close()


def test_a_worker_killed_mid_batch_resumes_cleanly(tmp_path, server_db):
    url, sessions, village = server_db
    server = ServerProcess(url, str(tmp_path / "home"))
    server.start()
    # No random faults; every push is held after the server committed it, so the kill lands
    # between "server stored the batch" and "kiosk removed it from the outbox".
    proxy = FaultyProxy(server.url, drop_before=0, drop_after=0, duplicate=0, replay_late=0, max_delay=0,
                        hold_after_push=1.0).start()
    store_path = tmp_path / "kiosk.sqlite3"
    store = LocalStore(store_path)
    fake_records.install(store)
    try:
        token = _enrol(server, sessions, village)
        fake_records.add(store, [application_record(village.code) for _ in range(N)])
        cmd = [sys.executable, "-m", "tests.sync.kiosk_child", str(store_path), proxy.url, token, "100"]
        child = subprocess.Popen(cmd)
        deadline = time.monotonic() + 60
        while proxy.stats["pushes_forwarded"] < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        proxy.hold_after_push = 0
        stored_at_kill = _server_totals(sessions, village.id)[0]
        pending_at_kill = outbox.pending_count(store)
        assert 0 < stored_at_kill < N
        assert stored_at_kill + pending_at_kill > N  # the in-flight batch is on the server and still queued
        resumed = subprocess.run(cmd, timeout=120)
        assert resumed.returncode == 0
        assert outbox.pending_count(store) == 0
        assert _server_totals(sessions, village.id) == (N, N, N)
    finally:
        proxy.stop()
        server.stop()
        store.close()


def test_two_workers_share_everything_through_the_database(tmp_path, server_db):
    """Enrolment limits, devices and records are seen alike by both uvicorn workers."""
    import requests

    url, sessions, village = server_db
    server = ServerProcess(url, str(tmp_path / "home"), workers=2)
    server.start()
    try:
        token = _enrol(server, sessions, village)
        headers = {"Authorization": f"Bearer {token}"}
        for _ in range(10):  # new connections: spread over both workers
            r = requests.post(server.url + "/api/v1/sync/push", headers={**headers, "Connection": "close"},
                              json={"records": [application_record(village.code)]}, timeout=10)
            assert r.status_code == 200
        pages = {requests.get(server.url + "/api/v1/sync/status", headers={**headers, "Connection": "close"},
                              timeout=10).text for _ in range(6)}
        assert len(pages) == 1  # every worker answers the same
        # The enrolment rate limit (20 per 10 min per IP) counts across workers.
        codes = [requests.post(server.url + "/api/v1/enrol", json={"code": "WRONG-CODE-00"},
                               headers={"Connection": "close"}, timeout=10).status_code for _ in range(21)]
        assert codes.count(429) == 2  # one good enrolment + 19 wrong ones are allowed, then 429
    finally:
        server.stop()


# ----- real records through the real serializers, with per-record errors -----------------------

def _real_records(store: LocalStore, village_code: str, n_apps: int) -> dict[str, list[str]]:
    """Applications, queue tickets, ratings and complaints made by the kiosk's own features."""
    from datetime import UTC, datetime

    from bianmin.config import Config, QueueConfig, QueueLineConfig
    from bianmin.local import applications, feedback
    from bianmin.local.queue import QueueService
    from tests.apply.fixtures import ID_CARD, sample_item

    made: dict[str, list[str]] = {"application": [], "queue_ticket": [], "rating": [], "complaint": []}
    for i in range(n_apps):
        app = applications.create_application(
            store, sample_item(), name=f"王秀英{i % 7}", phone="13800138000", id_number="11010519491231002X",
            materials_brought=[ID_CARD], consent_at=datetime.now(UTC), village_code=village_code)
        made["application"].append(app.uuid)
    monday = datetime(2026, 11, 30, 9, 0).astimezone()
    config = Config(queue=QueueConfig(lines=[QueueLineConfig(prefix="A", label="证照代办", window="1号窗口",
                                                             daily_cap=999)]))
    config.room.code = village_code
    queue = QueueService(store, config, clock=lambda: monday)
    for _ in range(n_apps // 4):
        made["queue_ticket"].append(queue.take_number("A").ticket.uuid)
    queue.call_next("A")
    for uuid in made["application"][: n_apps // 4]:
        made["rating"].append(feedback.save_rating(store, village_code, feedback.RatingInput(
            level=2, reasons=["slow"], application_uuid=uuid)))
    for _ in range(n_apps // 8):
        made["complaint"].append(feedback.save_complaint(store, village_code, feedback.ComplaintInput(
            category="delay", text="等了很久")))
    return made


def test_real_records_with_per_record_errors_end_on_the_server_or_in_quarantine(tmp_path, server_db):
    from bianmin.local import applications, queue
    from server.models import Complaint, QueueTicket, Rating
    from server.services.applications import change_status

    assert outbox.serializer_for("application") is applications.serialize  # the real one, not a test stand-in
    assert outbox.serializer_for("queue_ticket") is queue.serialize

    url, sessions, village = server_db
    server = ServerProcess(url, str(tmp_path / "home"))
    server.start()
    store = LocalStore(tmp_path / "kiosk.sqlite3")
    made = _real_records(store, village.code, 200)
    # Poison written by older software, straight into the kiosk's tables: a 21-character window
    # label and a NUL byte. The local wire check must catch them before they reach the server.
    poison = {made["queue_ticket"][3], made["application"][5]}
    with store.transaction() as conn:
        conn.execute("UPDATE queue_tickets SET service_window = ? WHERE uuid = ?", ("一" * 21, made["queue_ticket"][3]))
        conn.execute("UPDATE applications SET note = ? WHERE uuid = ?", ("a\x00b", made["application"][5]))
    crash_on = {made["application"][17], made["rating"][2]}  # the server breaks on these (500)
    refuse = {made["application"][40], made["complaint"][1]}  # the server refuses these by name
    proxy = FaultyProxy(server.url, seed=5, drop_before=0.05, drop_after=0.05, duplicate=0.05, replay_late=0.05,
                        crash_on=crash_on, refuse=refuse).start()
    try:
        token = _enrol(server, sessions, village)
        worker = SyncWorker(store, ServerClient(proxy.url, token, timeout=(1, 5)), batch_size=40,
                            documents=(), install_catalogue=None, base_backoff=0.05, max_backoff=0.4)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if worker.sync_once() and outbox.pending_count(store) == 0:
                break
            time.sleep(worker.next_delay() if worker.failures else 0.05)
        proxy.stop()
        assert outbox.pending_count(store) == 0, "nothing stuck"
        held = {q.uuid: q.reason for q in outbox.quarantined(store)}
        assert set(held) == poison | crash_on | refuse, "exactly the bad records are quarantined"
        assert all(reason for reason in held.values()), "each with its reason"
        assert "window" in held[made["queue_ticket"][3]] and "injected" in held[made["application"][40]]
        models = {"application": Application, "queue_ticket": QueueTicket, "rating": Rating, "complaint": Complaint}
        with sessions() as s:
            for kind, model in models.items():
                on_server = s.execute(select(model.uuid).where(model.village_id == village.id)).scalars().all()
                assert len(on_server) == len(set(on_server)), f"{kind}: nothing duplicated"
                assert set(on_server) | (set(made[kind]) & set(held)) == set(made[kind]), f"{kind}: nothing lost"
                assert not set(on_server) & set(held), f"{kind}: a quarantined record is not also on the server"
            apps_on_server = len(made["application"]) - len(set(made["application"]) & set(held))
            assert _server_totals(sessions, village.id) == (apps_on_server, apps_on_server, apps_on_server)
        # The agents' work still comes back although some pushes failed.
        with sessions() as s:
            app = s.execute(select(Application).where(Application.uuid == made["application"][0])).scalar_one()
            change_status(s, app, "accepted", "user:1")
            s.commit()
        worker.client = ServerClient(server.url, token)
        worker.sync_once()
        from bianmin.local import status_cache
        assert status_cache.cached_status(store, made["application"][0]).status == "accepted"
    finally:
        proxy.httpd.server_close()
        server.stop()
        store.close()
