"""Queue logic: numbering, rollover, cap, hours, wait estimate, double tap, restart, clock jumps."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bianmin.config import Config, QueueConfig, QueueLineConfig
from bianmin.domain.wire import PushBatch, QueueTicketRecord
from bianmin.local import outbox
from bianmin.local.queue import QueueService, format_number, serialize, spoken_number
from bianmin.store import LocalStore

TZ = timezone(timedelta(hours=8))
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


def make_config(**line_kw) -> Config:
    lines = [
        QueueLineConfig(prefix="A", label="证照代办", window="1", topics=["户籍证件"], items=["ITEM0001"], **line_kw),
        QueueLineConfig(prefix="B", label="社保民政", window="2", topics=["社会保障"], **line_kw),
    ]
    return Config(queue=QueueConfig(lines=lines), holidays=["2026-10-01"], workdays=["2026-11-28"])


@pytest.fixture()
def clock():
    return FakeClock(MONDAY)


@pytest.fixture()
def store(tmp_path):
    return LocalStore(tmp_path / "kiosk.sqlite3")


@pytest.fixture()
def queue(store, clock):
    return QueueService(store, make_config(), clock=clock)


def test_numbers_count_up_per_line_and_format(queue):
    a1 = queue.take_number("A").ticket
    a2 = queue.take_number("A").ticket
    b1 = queue.take_number("B").ticket
    assert (a1.number, a2.number, b1.number) == (1, 2, 1)
    assert a2.number_text == "A002" and format_number("B", 12) == "B012"
    assert spoken_number("A", 12) == "A 零一二"


def test_numbers_restart_each_day_and_history_is_kept(queue, clock, store):
    for _ in range(3):
        queue.take_number("A")
    clock.now = MONDAY + timedelta(days=1)  # Tuesday 09:00
    first = queue.take_number("A").ticket
    assert first.number == 1 and first.service_day == clock.now.date()
    count = store.connect().execute("SELECT COUNT(*) FROM queue_tickets").fetchone()[0]
    assert count == 4
    assert [t.number for t in queue.waiting("A")] == [1]  # yesterday's leftovers are not today's queue


def test_midnight_rollover_just_before_and_after(store):
    cfg = make_config(hours=["00:00-23:59"], weekdays=[1, 2, 3, 4, 5, 6, 7])
    clock = FakeClock(datetime(2026, 11, 23, 23, 58, 30, tzinfo=TZ))
    q = QueueService(store, cfg, clock=clock)
    assert q.take_number("A").ticket.number == 1
    assert q.take_number("A").ticket.number == 2
    clock.now = datetime(2026, 11, 24, 0, 0, 5, tzinfo=TZ)
    t = q.take_number("A").ticket
    assert (t.number, str(t.service_day)) == (1, "2026-11-24")
    assert q.people_ahead(t) == 0


def test_daily_cap_gives_message_and_next_working_day(store, clock):
    q = QueueService(store, make_config(daily_cap=2), clock=clock)
    assert q.take_number("A").ok and q.take_number("A").ok
    refused = q.take_number("A")
    assert not refused.ok and refused.message_key == "queue.cap_reached"
    assert refused.next_opening == datetime(2026, 11, 24, 8, 30, tzinfo=TZ)
    assert q.take_number("B").ok  # the cap is per line
    status = {s.line.prefix: s for s in q.status()}
    assert status["A"].open_now is False and status["A"].next_opening == refused.next_opening


def test_outside_hours_lunch_evening_weekend_holiday_and_workday(store, clock):
    q = QueueService(store, make_config(), clock=clock)
    clock.now = MONDAY.replace(hour=12, minute=30)  # lunch break
    r = q.take_number("A")
    assert r.message_key == "queue.closed" and r.next_opening == MONDAY.replace(hour=14, minute=30)
    clock.now = MONDAY.replace(hour=18)
    assert q.take_number("A").next_opening == datetime(2026, 11, 24, 8, 30, tzinfo=TZ)
    clock.now = datetime(2026, 11, 27, 18, 0, tzinfo=TZ)  # Friday evening; Saturday 28th is a 调休 workday
    assert q.take_number("A").next_opening == datetime(2026, 11, 28, 8, 30, tzinfo=TZ)
    clock.now = datetime(2026, 11, 28, 10, 0, tzinfo=TZ)
    assert q.take_number("A").ok
    clock.now = datetime(2026, 10, 1, 10, 0, tzinfo=TZ)  # National Day (Thursday, holiday)
    r = q.take_number("A")
    assert r.message_key == "queue.closed" and r.next_opening == datetime(2026, 10, 2, 8, 30, tzinfo=TZ)
    clock.now = MONDAY.replace(hour=8, minute=30)  # opening minute is open
    assert q.take_number("A").ok


def test_people_ahead_and_wait_default_then_median(queue, clock):
    tickets = [queue.take_number("A") for _ in range(4)]
    assert [t.people_ahead for t in tickets] == [0, 1, 2, 3]
    assert tickets[3].estimated_wait_minutes == 15  # default 5 min each before any history
    # serve three people taking 2, 4 and 30 minutes: the median (4) is robust to the outlier
    for minutes in (2, 4, 30):
        queue.call_next("A")
        clock.advance(minutes=minutes)
        queue.mark_served("A")
    assert queue.service_minutes("A") == 4
    last = queue.ticket(tickets[3].ticket.uuid)
    assert queue.people_ahead(last) == 0
    fresh = queue.take_number("A")
    assert fresh.people_ahead == 1 and fresh.estimated_wait_minutes == 4
    assert queue.service_minutes("B") == 5  # other lines keep their own history


def test_double_tap_with_same_token_issues_one_ticket(queue, store):
    first = queue.take_number("A", request_token="tap-1")
    second = queue.take_number("A", request_token="tap-1")
    assert second.repeated and second.ticket.uuid == first.ticket.uuid
    assert store.connect().execute("SELECT COUNT(*) FROM queue_tickets").fetchone()[0] == 1
    assert queue.take_number("A", request_token="tap-2").ticket.number == 2


def test_restart_keeps_todays_queue(tmp_path, clock):
    path = tmp_path / "kiosk.sqlite3"
    q1 = QueueService(LocalStore(path), make_config(), clock=clock)
    for _ in range(3):
        q1.take_number("A")
    q1.call_next("A")
    q1.store.close()
    q2 = QueueService(LocalStore(path), make_config(), clock=clock)
    assert [t.number for t in q2.waiting("A")] == [2, 3]
    assert q2.current("A").number == 1
    assert q2.take_number("A").ticket.number == 4
    assert q2.call_next("A").ticket.number == 2


def test_clock_going_backwards_keeps_numbers_unique_and_ordered(queue, clock, store):
    queue.take_number("A")
    clock.advance(minutes=30)
    queue.take_number("A")
    clock.now = MONDAY + timedelta(minutes=5)  # the clock is set back: earlier than ticket 2
    t3 = queue.take_number("A").ticket
    assert t3.number == 3
    assert [t.number for t in queue.waiting("A")] == [1, 2, 3]
    # a service whose end is stamped before its start is left out of the estimate
    queue.call_next("A")
    clock.advance(minutes=-10)
    queue.mark_served("A")
    assert queue.service_minutes("A") == 5
    # and updated_at still moves forward, so the server keeps the latest copy
    row = store.connect().execute("SELECT issued_at, updated_at FROM queue_tickets WHERE number = 1").fetchone()
    assert datetime.fromisoformat(row["updated_at"]) > datetime.fromisoformat(row["issued_at"])
    # calling order is by number, not by time
    assert queue.call_next("A").ticket.number == 2


def test_call_recall_served_no_show_skip(queue, clock):
    for _ in range(5):
        queue.take_number("A")
    assert queue.recall("A").message_key == "queue.nobody_called"
    first = queue.call_next("A")
    assert first.ticket.number == 1 and first.ticket.status == "called" and first.ticket.window == "1"
    clock.advance(minutes=3)
    second = queue.call_next("A")  # calling next finishes the one at the window
    assert second.ticket.number == 2 and second.finished.number == 1 and second.finished.status == "served"
    again = queue.recall("A")
    assert again.ticket.number == 2 and again.ticket.call_count == 2
    assert queue.mark_no_show("A").ticket.status == "no_show"
    assert queue.mark_served("A").message_key == "queue.nobody_called"
    skipped = queue.skip_to("A", 5)
    assert skipped.ticket.number == 5
    assert queue.skip_to("A", 5).message_key == "queue.not_found"
    assert queue.skip_to("A", 42).message_key == "queue.not_found"
    assert queue.call_next("A").ticket.number == 3  # earlier numbers keep their place
    assert [t.number for t in queue.now_serving()] == [3]
    queue.call_next("A")
    assert queue.call_next("A").message_key == "queue.none_waiting"


def test_every_change_is_dirty_and_serializes_to_the_wire(queue, store, clock):
    ticket = queue.take_number("A", item_code="ITEM0001").ticket
    conn = store.connect()

    def dirty_at() -> str:
        return conn.execute("SELECT dirty_at FROM outbox WHERE uuid = ?", (ticket.uuid,)).fetchone()[0]

    first_mark = dirty_at()
    conn.execute("DELETE FROM outbox")  # as if the sync worker uploaded it
    clock.advance(minutes=2)
    queue.call_next("A")
    assert outbox.pending_count(store) == 1 and dirty_at() >= first_mark
    record = QueueTicketRecord.model_validate(serialize(conn, ticket.uuid))
    assert record.number == 1 and record.line == "A" and record.item_code == "ITEM0001"
    assert record.called_at is not None and record.served_at is None and record.window == "1"
    assert outbox.serializer_for("queue_ticket") is serialize
    batch = PushBatch.model_validate({"records": [serialize(conn, ticket.uuid)]})  # what the sync worker sends
    assert isinstance(batch.records[0], QueueTicketRecord)
    assert serialize(conn, "no-such-uuid") is None


def test_line_for_item_by_code_then_topic(queue):
    class Item:
        def __init__(self, code, topics):
            self.code, self.topics = code, topics

    assert queue.line_for_item("ITEM0001").prefix == "A"
    assert queue.line_for_item(Item("OTHER0001", ["社会保障"])).prefix == "B"
    assert queue.line_for_item(Item("ITEM0001", ["社会保障"])).prefix == "A"  # code wins over topic
    assert queue.line_for_item(Item("OTHER0002", ["文化"])) is None
    assert queue.take_number("Z").message_key == "queue.unknown_line"
