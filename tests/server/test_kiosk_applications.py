"""An application registered at the kiosk reaches the server as the kiosk recorded it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bianmin.local import applications as apps
from bianmin.local import outbox
from bianmin.store import LocalStore
from server.models import Application
from server.security import decrypt_id_number
from tests.apply.fixtures import ID_CARD, sample_item

PUSH = "/api/v1/sync/push"


def test_kiosk_application_uploads_and_a_correction_updates_it(client, sessions, kiosk, village, server_app, tmp_path):
    store = LocalStore(tmp_path / "kiosk.sqlite3")
    local = apps.create_application(
        store, sample_item(), name="其其格", phone="13800138000", id_number="11010519491231002X",
        materials_brought=[ID_CARD], consent_at=datetime.now(UTC), village_code=village.code,
    )
    record = outbox.serializer_for("application")(store.connect(), local.uuid)
    first = client.post(PUSH, json={"records": [record]}, headers=kiosk.headers)
    assert first.status_code == 200, first.text
    assert first.json()["results"][0]["result"] == "created"
    with sessions() as s:
        row = s.execute(select(Application).where(Application.uuid == local.uuid)).scalar_one()
        assert (row.applicant_name, row.status) == ("其其格", "awaiting_materials")
        assert decrypt_id_number(server_app.state.fernet, row.id_number_enc) == "11010519491231002X"

    fixed = apps.correct_application(store, local.uuid, name="其其格玛")
    again = client.post(PUSH, json={"records": [outbox.serializer_for("application")(store.connect(), fixed.uuid)]},
                        headers=kiosk.headers)
    assert again.json()["results"][0]["result"] == "updated"
    with sessions() as s:
        assert s.execute(select(Application.applicant_name).where(Application.uuid == local.uuid)).scalar() == "其其格玛"
