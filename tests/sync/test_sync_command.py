"""`bianmin kiosk sync --once`: the app's worker as a command, with the real kiosk features."""

from __future__ import annotations

from datetime import UTC, datetime

import tomli_w
from sqlalchemy import select

from bianmin.cli import main
from bianmin.local import applications
from bianmin.store import LocalStore
from server.models import Application
from tests.apply.fixtures import ID_CARD, sample_item


def test_sync_once_uploads_and_lists_the_quarantine(tmp_path, live_server, sessions, kiosk, village, capsys):
    config = tmp_path / "bianmin.toml"
    config.write_text(tomli_w.dumps({"server": {"url": live_server.url, "device_token": kiosk.token},
                                     "room": {"code": village.code}}), encoding="utf-8")
    store_path = tmp_path / "kiosk.sqlite3"
    store = LocalStore(store_path)
    made = [applications.create_application(
        store, sample_item(), name="其其格", phone="13800138000", id_number="11010519491231002X",
        materials_brought=[ID_CARD], consent_at=datetime.now(UTC), village_code=village.code) for _ in range(3)]
    with store.transaction() as conn:  # written by older software: not sendable
        conn.execute("UPDATE applications SET applicant_name = ? WHERE uuid = ?", ("其\x00其格", made[0].uuid))
    store.close()

    code = main(["--config", str(config), "kiosk", "sync", "--once", "--store", str(store_path)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "pending 0" in out and "quarantined 1" in out
    assert made[0].uuid in out and "applicant_name" in out
    with sessions() as s:
        uploaded = set(s.execute(select(Application.uuid).where(Application.village_id == village.id)).scalars())
    assert uploaded == {made[1].uuid, made[2].uuid}


def test_sync_refuses_to_run_without_enrolment(tmp_path, capsys):
    config = tmp_path / "bianmin.toml"
    config.write_text("", encoding="utf-8")
    assert main(["--config", str(config), "kiosk", "sync", "--once", "--store", str(tmp_path / "k.sqlite3")]) == 2
    assert "enrol" in capsys.readouterr().err
