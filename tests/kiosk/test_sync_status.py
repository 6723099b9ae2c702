"""Home shows what the sync worker reports: online/offline, "N 条待上传", and the
"终端未登记/已停用" staff warning; the report arrives from a worker thread via the Clock."""

from __future__ import annotations

import threading

import pytest

from server_client.worker import SyncState
from tests.kiosk.harness import pump, wait_until

pytestmark = pytest.mark.ui


def test_worker_state_reaches_home_through_the_clock(app):
    label = app.screen_manager.get_screen("home").ids.online_label
    thread = threading.Thread(target=app._on_sync_state, args=(SyncState(online=False, pending=7),))
    thread.start()
    thread.join()
    assert wait_until(lambda: app.pending_uploads == 7)
    pump(2)
    assert "7 条待上传" in label.text and "未联网" in label.text

    app._on_sync_state(SyncState(online=True, pending=7, error_key="sync.unauthorized"))
    assert wait_until(lambda: app.online)
    pump(2)
    assert "终端未登记/已停用" in app.staff_warning
    assert "已联网" in label.text

    app._on_sync_state(SyncState(online=True, pending=0))
    assert wait_until(lambda: app.pending_uploads == 0 and not app.staff_warning)
    pump(2)
    assert "待上传" not in label.text


def test_a_staff_warning_from_elsewhere_is_not_cleared_by_sync(app):
    app.staff_warning = "打印机缺纸"
    app._on_sync_state(SyncState(online=True, pending=0))
    pump(3)
    assert app.staff_warning == "打印机缺纸"
    app.staff_warning = ""
