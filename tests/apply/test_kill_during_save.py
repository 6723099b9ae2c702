"""A kiosk killed mid-save (power cut, SIGKILL) leaves each application complete or absent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from bianmin.local import applications as apps
from bianmin.store import LocalStore

WRITER = r"""
import sys
from datetime import UTC, datetime
from bianmin.local import applications as apps
from bianmin.store import LocalStore
from tests.apply.fixtures import ID_CARD, sample_item

store = LocalStore(sys.argv[1])
item = sample_item()
apps.ensure_schema(store)
print("ready", flush=True)
n = 0
while True:
    apps.create_application(store, item, name="巴特尔", phone="13800138000", id_number="11010519491231002X",
                            note="x" * 400, materials_brought=[ID_CARD], consent_at=datetime.now(UTC),
                            village_code="150121101001")
    n += 1
"""

COLUMNS = ("uuid", "village_code", "token", "short_code", "item_code", "item_name", "applicant_name", "phone", "id_number",
           "note", "materials_brought", "materials_missing", "status", "consent_at", "created_at", "service_day")


def test_sigkill_during_saves_leaves_whole_applications_with_their_outbox_rows(tmp_path):
    db = tmp_path / "kiosk.sqlite3"
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for delay in (0.35, 0.6, 0.9):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], cwd=root,
                                stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": root})
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL

    store = LocalStore(db)
    conn = store.connect()
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = conn.execute("SELECT * FROM applications").fetchall()
    assert rows, "the writer never committed anything; the test proves nothing"
    for row in rows:
        for column in COLUMNS:
            assert row[column] not in (None, ""), (column, dict(row))
        assert row["note"] == "x" * 400
    app_ids = {r["uuid"] for r in rows}
    outbox_ids = {r["uuid"] for r in conn.execute("SELECT uuid FROM outbox WHERE kind = 'application'")}
    assert app_ids == outbox_ids
    # each one still serialises into a valid wire record
    for app_id in list(app_ids)[:20]:
        assert apps.serialize(conn, app_id)["uuid"] == app_id
