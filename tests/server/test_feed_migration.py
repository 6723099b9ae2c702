"""Migration 0004_sync: events that existed before keep their id as feed position, so the
cursors kiosks already hold stay valid, and every later event sorts after them."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from server import migrate
from server.db import make_engine, make_sessionmaker, write_session
from server.models import Application, ApplicationEvent
from server.services.applications import change_status
from server.services.sync import decode_cursor, encode_cursor, status_changes
from tests.server.helpers import seed_village


def _old_application(conn, village_id: int, n: int) -> int:  # noqa: ANN001
    app_id = conn.execute(text(
        "INSERT INTO applications (uuid, village_id, item_code, item_name, item_version, applicant_name, phone,"
        " note, materials_brought, materials_missing, token, short_code, promised_days, consent_at, created_at,"
        " updated_at, received_at, status, kiosk_status, status_changed_at) VALUES (:u, :v, 'x', 'x', 1, 'x', '1',"
        " '', '[]', '[]', :t, :s, 1, :now, :now, :now, :now, 'submitted', 'submitted', :now) RETURNING id"),
        {"u": f"00000000-0000-4000-8000-{n:012d}", "v": village_id, "t": f"token{n:017d}", "s": f"{n:09d}",
         "now": "2026-11-01T08:00:00+00:00"}).scalar_one()
    conn.execute(text("INSERT INTO application_events (application_id, village_id, at, actor, to_status, note,"
                      " internal_note, missing_materials) VALUES (:a, :v, :now, 'kiosk:1', 'submitted', '', '',"
                      " '[]')"), {"a": app_id, "v": village_id, "now": "2026-11-01T08:00:00+00:00"})
    return app_id


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def unmigrated_url(request, tmp_path, make_postgres_db) -> str:  # noqa: ANN001
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'old.sqlite3'}"
    return make_postgres_db(migrated=False)


def test_old_events_keep_their_position_and_new_ones_follow(unmigrated_url):
    url = unmigrated_url
    migrate.upgrade(url, "0003_tracking")
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    village = seed_village(sessions, agents=0)
    with engine.begin() as conn:
        old_ids = [_old_application(conn, village.id, n) for n in range(3)]
        last_old_event = conn.execute(text("SELECT MAX(id) FROM application_events")).scalar_one()
    engine.dispose()
    migrate.upgrade(url)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    try:
        with sessions() as s:
            rows = s.execute(select(ApplicationEvent.id, ApplicationEvent.feed_seq)).all()
            assert len(rows) == 3 and all(feed_seq == event_id for event_id, feed_seq in rows)
        with write_session(sessions) as s:
            change_status(s, s.get(Application, old_ids[0]), "accepted", "user:1")
        with sessions() as s:
            changes, cursor, _more = status_changes(s, village.id, last_old_event, 100, 0)
        assert [c.status for c in changes] == ["accepted"]  # an old kiosk cursor sees exactly the new event
        assert decode_cursor(cursor) > last_old_event
        assert decode_cursor(encode_cursor(last_old_event)) == last_old_event
    finally:
        engine.dispose()
