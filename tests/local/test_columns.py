"""One column map per record kind (issue 12 §3): it covers every wire field, its columns
exist, and a row written with it reads back as the same wire record."""

from __future__ import annotations

import pytest

from bianmin.domain.wire import RatingRecord
from bianmin.local import applications, feedback, queue
from bianmin.local.columns import PLAIN, ColumnMap
from bianmin.store import LocalStore
from tests.server.helpers import (
    application_record,
    complaint_record,
    queue_ticket_record,
    rating_record,
)

MAPS = [(applications.COLUMNS, application_record), (queue.COLUMNS, queue_ticket_record),
        (feedback.RATING_COLUMNS, rating_record), (feedback.COMPLAINT_COLUMNS, complaint_record)]


@pytest.fixture
def store(tmp_path):
    s = LocalStore(tmp_path / "kiosk.sqlite3")
    yield s
    s.close()


@pytest.mark.parametrize(("columns", "make"), MAPS, ids=[m[0].table for m in MAPS])
def test_the_map_covers_the_wire_and_round_trips(store, columns: ColumnMap, make) -> None:  # noqa: ANN001
    conn = store.connect()
    assert columns.check_covers(conn) == []
    record = columns.wire.model_validate(make("150121101001", **({"reasons": ["slow"]} if "reasons" in
                                                                  columns.wire.model_fields else {})))
    local_only = {"applications": {"service_day": "2026-12-01"}, "queue_tickets": {"status": "waiting"}}
    with store.transaction() as wconn:
        columns.insert(wconn, record.model_dump(exclude={"kind"}), **local_only.get(columns.table, {}))
    row = conn.execute(f"SELECT * FROM {columns.table} WHERE uuid = ?", (str(record.uuid),)).fetchone()
    assert columns.to_wire(row) == record.model_dump(mode="json")


def test_a_wire_field_without_a_column_is_reported(store) -> None:
    partial = ColumnMap("ratings", RatingRecord, {"uuid": ("uuid", PLAIN), "level": ("stars", PLAIN)})
    problems = partial.check_covers(store.connect())
    assert "ratings: wire field text has no column" in problems and "ratings: column stars missing" in problems
