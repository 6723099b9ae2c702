"""Quarantine on the kiosk (issue 13 §2): a refused record is kept with its reason, never
blocks the others, never stops the status pull, and goes up again once corrected."""

from __future__ import annotations

from sqlalchemy import select

from bianmin.local import outbox, status_cache
from server.db import write_session
from server.models import Application
from server.services.applications import change_status
from server_client.client import ServerClient
from server_client.worker import ISOLATED_500_LIMIT, SyncWorker
from tests.server.helpers import application_record
from tests.sync import fake_records
from tests.sync.faults import FaultyProxy


def quiet_proxy(url: str, **kw) -> FaultyProxy:  # noqa: ANN003
    return FaultyProxy(url, drop_before=0, drop_after=0, duplicate=0, replay_late=0, max_delay=0, **kw).start()


def worker(store, url: str, token: str, **kw) -> SyncWorker:  # noqa: ANN001, ANN003
    return SyncWorker(store, ServerClient(url, token, timeout=(2, 10)), documents=(), install_catalogue=None, **kw)


def on_server(sessions, uuids: list[str]) -> set[str]:  # noqa: ANN001
    with sessions() as s:
        return set(s.execute(select(Application.uuid).where(Application.uuid.in_(uuids))).scalars())


def test_a_batch_that_breaks_the_server_is_split_and_only_the_culprit_is_quarantined(
        store, live_server, sessions, kiosk, village):
    records = [application_record(village.code) for _ in range(37)]
    fake_records.add(store, records)
    culprit = records[22]["uuid"]
    proxy = quiet_proxy(live_server.url, crash_on={culprit})
    try:
        w = worker(store, proxy.url, kiosk.token, batch_size=16)
        assert w.sync_once() is True
        assert on_server(sessions, [r["uuid"] for r in records]) == {r["uuid"] for r in records} - {culprit}
        [held] = outbox.quarantined(store)
        assert held.uuid == culprit and "500" in held.reason
        assert outbox.pending_count(store) == 0 and w.state.quarantined == 1
        assert proxy.stats["crashed"] <= 6  # bisection: log2(16) + 1 tries, not one per record
    finally:
        proxy.stop()


def test_a_lone_record_that_breaks_the_server_waits_a_few_rounds_before_quarantine(
        store, live_server, sessions, kiosk, village):
    record = application_record(village.code)
    fake_records.add(store, [record])
    proxy = quiet_proxy(live_server.url, crash_on={record["uuid"]})
    try:
        w = worker(store, proxy.url, kiosk.token)
        for _ in range(ISOLATED_500_LIMIT - 1):  # no evidence yet that the server works at all
            assert w.sync_once() is False and w.state.error_key == "sync.offline"
            assert outbox.pending_count(store) == 1
        assert w.sync_once() is True
        assert [q.uuid for q in outbox.quarantined(store)] == [record["uuid"]]
    finally:
        proxy.stop()


def test_status_changes_arrive_although_the_push_fails(store, live_server, sessions, kiosk, village):
    first = application_record(village.code)
    fake_records.add(store, [first])
    assert worker(store, live_server.url, kiosk.token).sync_once() is True
    with write_session(sessions) as s:
        app = s.execute(select(Application).where(Application.uuid == first["uuid"])).scalar_one()
        change_status(s, app, "accepted", "user:1")
    broken = application_record(village.code)
    fake_records.add(store, [broken])
    proxy = quiet_proxy(live_server.url, crash_on={broken["uuid"]})
    try:
        w = worker(store, proxy.url, kiosk.token)
        assert w.sync_once() is False  # the push failed ...
        assert status_cache.cached_status(store, first["uuid"]).status == "accepted"  # ... the pull still ran
    finally:
        proxy.stop()


def test_a_refused_record_is_kept_and_goes_up_once_corrected(store, live_server, sessions, kiosk, village):
    bad = application_record(village.code, applicant_name="王\x00秀英")
    good = application_record(village.code)
    fake_records.add(store, [bad, good])
    w = worker(store, live_server.url, kiosk.token)
    assert w.sync_once() is True
    assert on_server(sessions, [bad["uuid"], good["uuid"]]) == {good["uuid"]}
    [held] = outbox.quarantined(store)
    assert held.uuid == bad["uuid"] and "applicant_name" in held.reason
    assert w.sync_once() is True and len(outbox.quarantined(store)) == 1  # not resent on its own
    fake_records.edit(store, bad["uuid"], applicant_name="王秀英")  # staff correct it: queued again
    assert outbox.quarantined(store) == [] and outbox.pending_count(store) == 1
    assert w.sync_once() is True
    assert on_server(sessions, [bad["uuid"]]) == {bad["uuid"]}


def test_staff_can_resend_a_quarantined_record(store, live_server, sessions, kiosk, village):
    record = application_record(village.code)
    fake_records.add(store, [record])
    proxy = quiet_proxy(live_server.url, refuse={record["uuid"]})
    try:
        assert worker(store, proxy.url, kiosk.token).sync_once() is True
    finally:
        proxy.stop()
    assert [q.reason for q in outbox.quarantined(store)] == ["injected: the server refuses this record"]
    assert outbox.release(store, "application", record["uuid"]) is True  # the server was fixed meanwhile
    assert worker(store, live_server.url, kiosk.token).sync_once() is True
    assert on_server(sessions, [record["uuid"]]) == {record["uuid"]} and outbox.quarantined(store) == []


def test_the_kiosk_reports_its_health_to_the_server(store, live_server, sessions, kiosk, village):
    from server.models import Device

    fake_records.add(store, [application_record(village.code, phone="x")])
    assert worker(store, live_server.url, kiosk.token).sync_once() is True
    with sessions() as s:
        device = s.get(Device, kiosk.device_id)
        assert device.health["quarantined_total"] == 1 and device.health["pending"] == 0
        assert "phone" in device.health["quarantined"][0]["reason"] and device.health_at is not None


def test_an_unchanged_health_report_is_not_resent_every_round(store, live_server, sessions, kiosk, village):
    w = worker(store, live_server.url, kiosk.token)
    sent = []
    real = w.client.report_health
    w.client.report_health = lambda report: (sent.append(report), real(report))
    assert w.sync_once() and w.sync_once()
    assert len(sent) == 1
    fake_records.add(store, [application_record(village.code, phone="x")])  # a new quarantined record
    assert w.sync_once()
    assert len(sent) == 2 and sent[-1]["quarantined_total"] == 1
