"""Staff system panel on the real screens: PIN by taps → menu → panel; test print and reprint
reach a preview printer; sync now wakes the worker; enrolment and catalogue shown; exit asks first."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from bianmin.config import PrinterConfig, RoomConfig, ServerConfig
from bianmin.local.staff_pin import PinGuard, hash_pin
from bianmin.store import LocalStore
from printer.service import PrintService
from tests.kiosk.harness import find_button, pump, tap, wait_until

pytestmark = pytest.mark.ui


class FakeSyncWorker:
    """Stands in for server_client.worker.SyncWorker: records wake() calls, exposes a state."""

    def __init__(self) -> None:
        from server_client.worker import SyncState

        self.wakes = 0
        self.state = SyncState(online=False, pending=0, last_sync=datetime(2026, 11, 24, 16, 5),
                               error_key="sync.offline", error="ConnectError: timed out")

    def wake(self) -> None:
        self.wakes += 1

    def stop(self, timeout: float = 5.0) -> None:
        pass


@pytest.fixture()
def system_app(app, tmp_path):
    store = LocalStore(tmp_path / "system.sqlite3")
    app.pin_guard = PinGuard(store, hash_pin("2468"))
    old_printer, old_worker, old_settings = app.printer, app.sync_worker, app.settings
    old_online, old_pending = app.online, app.pending_uploads
    preview_dir = tmp_path / "previews"
    app.printer = PrintService(PrinterConfig(uri=f"preview://{preview_dir}"), store, RoomConfig(), idle_probe=0)
    app.printer.start()
    app.preview_dir = preview_dir
    yield app
    app.printer.stop()
    app.printer, app.sync_worker, app.settings = old_printer, old_worker, old_settings
    app.online, app.pending_uploads = old_online, old_pending
    app.pin_guard = None
    app.go_home()


def screen(app):
    return app.root.current_screen


def open_panel(app) -> object:
    tap(find_button(screen(app), "工作人员"))
    assert app.root.current == "staff_pin"
    for d in "2468":
        tap(find_button(screen(app), d), frames=1)
    tap(find_button(screen(app), "确定"))
    assert wait_until(lambda: app.root.current == "staff_home")
    pump(3)
    tap(find_button(screen(app), "系统"))
    assert app.root.current == "staff_system"
    panel = screen(app)
    assert wait_until(lambda: panel.loaded)
    pump(3)
    return panel


def test_panel_needs_the_pin(system_app):
    app = system_app
    app.go("staff_system")
    assert wait_until(lambda: app.root.current == "staff_pin")


def test_test_print_and_reprint_reach_the_printer(system_app):
    app = system_app
    panel = open_panel(app)
    assert "打印机正常" in panel.printer_text
    assert panel.job_rows == []
    tap(find_button(panel, "测试打印"))
    assert wait_until(lambda: "已加入打印" in panel.message)
    assert app.printer.wait_idle(15)
    first = app.printer.jobs()[0]
    assert first.kind == "ticket" and first.status == "printed"
    assert first.slip_data["room_name"] == RoomConfig().name
    assert wait_until(lambda: len(panel.job_rows) == 1)

    tap(find_button(panel, "重打上一张"))
    assert wait_until(lambda: len(app.printer.jobs()) == 2)
    again = app.printer.jobs()[0]
    assert again.reprint_of == first.id and again.slip_data == first.slip_data
    assert app.printer.wait_idle(15)
    assert wait_until(lambda: len(panel.job_rows) == 2)
    pump(3)
    # pick an earlier slip from the recent list
    tap(find_button(panel.ids.jobs, f"#{first.id} "))
    assert wait_until(lambda: len(app.printer.jobs()) == 3)
    assert app.printer.jobs()[0].reprint_of == first.id
    assert len(list(app.preview_dir.glob("*.png"))) >= 2


def test_reprint_with_nothing_printed_says_so(system_app):
    panel = open_panel(system_app)
    tap(find_button(panel, "重打上一张"))
    assert wait_until(lambda: "没有可重打" in panel.message)


def test_sync_state_and_sync_now(system_app):
    app = system_app
    worker = FakeSyncWorker()
    app.sync_worker = worker
    app.settings = app.settings.model_copy(update={"server": ServerConfig(url="https://bm.example.cn",
                                                                          device_token="tok")})
    panel = open_panel(app)
    assert "未联网" in panel.sync_text
    assert "2026-11-24 16:05" in panel.sync_text
    assert "未联网，记录已保存在本机" in panel.sync_text  # last error, in plain words
    assert "https://bm.example.cn" in panel.enrolment_text and "已设置" in panel.enrolment_text
    tap(find_button(panel, "立即同步"))
    assert worker.wakes == 1
    assert "已开始同步" in panel.message
    # the worker reports back through the app: the panel follows without a re-entry
    worker.state = replace(worker.state, online=True, error_key="", error="")
    app.online = True
    assert wait_until(lambda: "已联网" in panel.sync_text)


def test_not_enrolled_shows_the_command(system_app):
    app = system_app
    app.sync_worker = None
    panel = open_panel(app)
    assert "未连接服务器" in panel.sync_text
    assert "未设置" in panel.enrolment_text
    assert "bianmin kiosk enrol --server URL --code CODE" in panel.enrol_command
    tap(find_button(panel, "立即同步"))
    assert "未连接服务器" in panel.message


def test_catalogue_version_and_source(system_app):
    app = system_app
    panel = open_panel(app)
    assert f"第 {app.catalogue.version} 版" in panel.catalogue_text
    assert app.catalogue_source and "未知" not in panel.catalogue_text


def test_exit_kiosk_asks_first(system_app, monkeypatch):
    app = system_app
    exits = []
    monkeypatch.setattr(app, "exit_kiosk", lambda: exits.append(True))
    panel = open_panel(app)
    scroll = panel.ids.exit_button.parent.parent.parent  # the panel's ScrollView
    scroll.scroll_to(panel.ids.exit_button, animate=False)  # the button sits below the fold
    pump(3)
    tap(find_button(panel, "退出终端模式"))
    dialog = panel.confirm
    assert dialog is not None and dialog.get_root_window() is not None
    pump(3)
    tap(find_button(dialog, "取消"))
    assert exits == []
    assert wait_until(lambda: dialog.parent is None)  # the dismiss animation has finished
    tap(find_button(panel, "退出终端模式"))
    pump(3)
    assert panel.confirm is not dialog
    tap(find_button(panel.confirm, "确定退出"))
    assert exits == [True]


def test_exit_kiosk_leaves_a_pause_file_for_systemd(app, tmp_path, monkeypatch):
    pause = tmp_path / "paused"
    monkeypatch.setenv("BIANMIN_PAUSE_FILE", str(pause))
    stops = []
    monkeypatch.setattr(app, "stop", lambda *a: stops.append(True))
    try:
        app.exit_kiosk()
        assert pause.exists() and stops == [True] and app.kiosk_mode is False
    finally:
        app.kiosk_mode = True


def test_a_quarantined_record_is_shown_with_its_reason_and_can_be_resent(system_app):
    from bianmin.local import outbox

    app = system_app
    with app.store.transaction() as conn:
        outbox.mark_dirty(conn, "queue_ticket", "3f1c2a9e-0000-4000-8000-000000000001")
    [row] = [r for r in app.store.connect().execute(
        "SELECT kind, uuid, dirty_at FROM outbox WHERE uuid = '3f1c2a9e-0000-4000-8000-000000000001'")]
    outbox.quarantine(app.store, [(tuple(row), "window: 最多 20 个字符")])
    try:
        panel = open_panel(app)
        assert "1 条记录未被服务器接收" in panel.ids.quarantine_label.text
        texts = [w.text for w in panel.ids.quarantine.children if hasattr(w, "text")]
        assert any("排队号 3f1c2a9e" in t and "最多 20 个字符" in t for t in texts), texts
        tap(find_button(panel.ids.quarantine, "重新发送"))
        assert wait_until(lambda: panel.message == "已重新排队上传")
        assert outbox.quarantined(app.store) == []
        assert wait_until(lambda: panel.ids.quarantine_label.text == "没有被服务器拒收的记录")
    finally:
        with app.store.transaction() as conn:
            conn.execute("DELETE FROM outbox WHERE uuid = '3f1c2a9e-0000-4000-8000-000000000001'")
