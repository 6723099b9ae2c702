"""Queue end to end on the real screens: take a number by tap → ticket → staff PIN by taps →
call next → Home banner and voice call; wrong PIN delay; double tap."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bianmin.config import Config, PrinterConfig, QueueConfig, QueueLineConfig, RoomConfig
from bianmin.local.queue import QueueService
from bianmin.local.staff_pin import PinGuard, hash_pin
from bianmin.store import LocalStore
from printer.service import PrintService
from tests.kiosk.harness import find_button, pump, tap, wait_until

pytestmark = pytest.mark.ui

TZ = timezone(timedelta(hours=8))


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)  # a Monday, within hours

    def __call__(self) -> datetime:
        return self.now


class FakeRunner:
    """Stands in for espeak-ng/aplay processes: records the argv it was asked to run."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, argv) -> None:  # noqa: ANN001
        self.calls.append(list(argv))


@pytest.fixture()
def queue_app(app, tmp_path, monkeypatch):
    from kiosk.speech import Speaker

    store = LocalStore(tmp_path / "queue.sqlite3")
    lines = [
        QueueLineConfig(prefix="A", label="证照代办", window="1", items=["ITEM0001"]),
        QueueLineConfig(prefix="B", label="社保民政", window="2", daily_cap=1),
    ]
    app.queue = QueueService(store, Config(queue=QueueConfig(lines=lines)), clock=FakeClock())
    runner = FakeRunner()
    old_speaker = app.speaker
    app.speaker = Speaker(runner=runner, engine="espeak-ng")
    app.pin_guard = PinGuard(store, hash_pin("2468"))
    app.now_serving = ""
    app.runner = runner
    old_printer = app.printer
    preview_dir = tmp_path / "previews"
    app.printer = PrintService(PrinterConfig(uri=f"preview://{preview_dir}"), store, RoomConfig(), idle_probe=0)
    app.printer.start()
    app.preview_dir = preview_dir
    app.sync_requests = []
    monkeypatch.setattr(app, "request_sync", lambda: app.sync_requests.append(1), raising=False)
    yield app
    app.printer.stop()
    app.printer = old_printer
    app.speaker = old_speaker
    app.queue = None
    app.pin_guard = None
    app.go_home()


def screen(app):
    return app.root.current_screen


def enter_pin(app, digits: str) -> None:
    for d in digits:
        tap(find_button(screen(app), d), frames=1)
    tap(find_button(screen(app), "确定"))


def test_take_number_then_staff_calls_next(queue_app):
    app = queue_app
    tap(find_button(screen(app), "取号排队"))
    assert app.root.current == "queue_take"
    assert wait_until(lambda: len(screen(app).ids.lines.children) == 2)
    pump(3)
    tap(find_button(screen(app), "证照代办"))
    assert wait_until(lambda: app.root.current == "queue_ticket" and screen(app).ready)
    ticket_screen = screen(app)
    assert ticket_screen.number_text == "A001"
    assert "前面没有人" in ticket_screen.ahead_text
    assert [t.number for t in app.queue.waiting("A")] == [1]
    assert len(app.sync_requests) == 1  # the sync worker is asked to upload the new ticket
    # committed first, then printed: the slip reaches the (preview) printer and the screen says so
    assert wait_until(lambda: ticket_screen.print_state == "printed", timeout=15)
    assert "已打印" in ticket_screen.print_text
    job = app.printer.job(int(ticket_screen.job_id))
    assert job.status == "printed" and job.slip_data["number_text"] == "A001"
    assert list(app.preview_dir.glob("*.png"))

    tap(find_button(ticket_screen, "返回首页"))
    tap(find_button(screen(app), "工作人员"))
    assert app.root.current == "staff_pin"
    enter_pin(app, "2468")
    assert wait_until(lambda: app.root.current == "staff_home")
    pump(3)  # let the freshly built menu lay out before tapping it
    tap(find_button(screen(app), "叫号"))
    assert app.root.current == "staff_queue"
    assert wait_until(lambda: len(screen(app).panels) == 2)
    pump(3)
    panel = screen(app).panels["A"]
    tap(find_button(panel, "叫下一位"))
    assert wait_until(lambda: "A001" in app.now_serving)
    assert len(app.sync_requests) == 2
    app.speaker.wait_idle()
    spoken = [argv[-1] for argv in app.runner.calls if argv[0] == "espeak-ng"]
    assert spoken == ["请 A 零零一 号到 1 号窗口办理"] * 2
    assert all(argv[1:3] == ["-v", "cmn"] for argv in app.runner.calls if argv[0] == "espeak-ng")
    assert wait_until(lambda: "正在叫：A001" in panel.current)

    tap(find_button(screen(app), "首页"))
    assert app.root.current == "home"
    pump(2)
    assert "A001" in screen(app).ids.now_serving_label.text
    # the session ended on Home: the staff panel asks for the PIN again
    app.go("staff_queue")
    assert wait_until(lambda: app.root.current == "staff_pin")


def test_double_tap_issues_one_ticket(queue_app):
    app = queue_app
    app.go("queue_take")
    assert wait_until(lambda: len(screen(app).ids.lines.children) == 2)
    take = screen(app)
    results = []
    take.take("A", on_taken=results.append)
    take._last_tap = 0  # even past the UI debounce, the request token stops a second ticket
    take.busy = False
    take.take("A", on_taken=results.append)
    assert wait_until(lambda: len(results) == 2)
    assert results[0].ticket.uuid == results[1].ticket.uuid and results[1].repeated
    assert len(app.queue.waiting("A")) == 1


def test_from_item_guide_preselects_line_and_cap_message(queue_app):
    app = queue_app
    app.go("queue_take", item_code="ITEM0001")
    take = screen(app)
    assert wait_until(lambda: "证照代办" in take.hint)
    first = take.ids.lines.children[-1]  # children are reversed: the top button is last
    assert first.line_prefix == "A" and first.tone == "ok" and "证照代办" in take.hint
    app.queue.take_number("B")  # B's daily cap is 1
    take.refresh()
    assert wait_until(lambda: "今天的号已取完" in find_button(take, "社保民政").text)
    pump(3)
    tap(find_button(take, "社保民政"))
    assert wait_until(lambda: "号已经取完" in take.message)
    assert app.root.current == "queue_take"


def test_wrong_pin_is_refused_with_growing_delay(queue_app):
    app = queue_app
    app.go("staff_pin", next="staff_queue")
    pin_screen = screen(app)
    for _ in range(2):
        enter_pin(app, "1111")
        assert wait_until(lambda: not pin_screen.checking)
        assert "密码不对" in pin_screen.ids.message_label.text
    enter_pin(app, "1111")
    assert wait_until(lambda: pin_screen.wait_seconds > 0)
    assert "秒再试" in pin_screen.ids.message_label.text
    assert pin_screen.ids.ok_button.disabled
    assert app.root.current == "staff_pin"
    assert app.pin_guard.failures() == 3


def test_staff_session_ends_on_idle(queue_app):
    from kiosk.staff import begin_session, session_active

    app = queue_app
    begin_session(app)
    app.go("staff_queue")
    pump(2)
    assert app.root.current == "staff_queue" and session_active(app)
    app._last_activity -= app.settings.kiosk.idle_timeout + 1
    assert app.check_idle()
    assert app.root.current == "home" and not session_active(app)


def test_printer_problem_never_loses_the_ticket(queue_app):
    app = queue_app
    app.printer.stop()
    app.printer = PrintService(PrinterConfig(uri="tcp://127.0.0.1:9?status=0", timeout=0.3), app.queue.store,
                               RoomConfig(), idle_probe=0, retry_delays=(0.05, 0.2))
    app.printer.start()
    app.go("queue_take")
    take = screen(app)
    assert wait_until(lambda: len(take.ids.lines.children) == 2)
    pump(3)
    tap(find_button(take, "证照代办"))
    assert wait_until(lambda: app.root.current == "queue_ticket" and screen(app).ready)
    ticket_screen = screen(app)
    assert wait_until(lambda: ticket_screen.print_state == "failed", timeout=10)
    assert "请记住您的号码" in ticket_screen.print_text
    assert ticket_screen.number_text == "A001"  # the number stays on screen
    assert app.queue.waiting("A")[0].number == 1  # and the ticket is in the queue
    assert app.printer.job(int(ticket_screen.job_id)).status == "queued"  # it will print once fixed


def test_ticket_kept_when_the_print_queue_refuses(queue_app):
    app = queue_app

    class BrokenPrinter:
        def submit(self, slip, lang=None):  # noqa: ANN001
            raise OSError("disk full")

    real = app.printer
    app.printer = BrokenPrinter()
    try:
        app.go("queue_take")
        take = screen(app)
        assert wait_until(lambda: len(take.ids.lines.children) == 2)
        results = []
        take.take("B", on_taken=results.append)
        assert wait_until(lambda: app.root.current == "queue_ticket" and screen(app).ready)
        assert screen(app).number_text == "B001" and screen(app).print_state == "failed"
        assert "请记住您的号码" in screen(app).print_text
    finally:
        app.printer = real


def test_guide_item_preselects_its_line_by_topic(queue_app):
    from bianmin.catalogue_source import load_active_catalogue

    app = queue_app
    app.queue = QueueService(app.queue.store, Config(), clock=FakeClock())  # the default A/B/C lines
    item = next(i for i in load_active_catalogue().catalogue.items if i.topics[0] == "社会保障")
    app.go("queue_take", item_code=item.code)
    take = screen(app)
    assert wait_until(lambda: "社保民政" in take.hint)
    assert wait_until(lambda: len(take.ids.lines.children) == 3)
    top = take.ids.lines.children[-1]
    assert top.line_prefix == "B" and top.tone == "ok"
    results = []
    take.take(top.line_prefix, on_taken=results.append)
    assert wait_until(lambda: results)
    assert results[0].ticket.item_code == item.code and results[0].ticket.number_text == "B001"
