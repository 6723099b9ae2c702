"""`bianmin kiosk enrol` run again after a lost reply returns the same device (issue 13 §5)."""

from __future__ import annotations

import stat

from sqlalchemy import func, select

from server.models import Device
from server_client.enrol import enrol, enrolment_key
from tests.server.helpers import enrolment_code


def test_running_enrol_again_with_the_same_code_returns_the_same_device(tmp_path, live_server, sessions, village):
    config = tmp_path / "bianmin.toml"
    code = enrolment_code(sessions, village.code)
    first = enrol(live_server.url, code, config)  # pretend this reply was lost on the way
    again = enrol(live_server.url, code, config)
    assert again["device_id"] == first["device_id"]
    assert again["token"] in config.read_text(encoding="utf-8")
    key_file = config.with_name("bianmin.toml.enrol-key")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and enrolment_key(config) == key_file.read_text()
    with sessions() as s:
        assert s.execute(select(func.count()).select_from(Device)
                         .where(Device.village_id == village.id)).scalar_one() == 1
