"""查询进度, 好差评 and 投诉箱 on the real kiosk screens (offscreen, real input dispatch)."""

from __future__ import annotations

import pytest
from kivy.core.window import Window

from bianmin.local import tracking
from bianmin.local.tracking import NotFound, TimelineEntry, TrackingView, Unreachable
from tests.kiosk.harness import find_button, pump, record_new_widgets, tap, wait_until

pytestmark = pytest.mark.ui

TOKEN = "q3Jx8vK2mN5pR7tW9yZ1aB"


def _view(status="completed", **kw):
    kw.setdefault("application_uuid", "6f1c2b9e-8d4a-4c1e-9b7a-0a1b2c3d4e5f")
    return TrackingView(
        token=TOKEN, item_name="城乡居民养老保险参保登记", masked_name="王*英", status=status,
        timeline=[TimelineEntry("submitted", "2026-11-02T09:15:00+08:00"),
                  TimelineEntry(status, "2026-11-06T11:20:00+08:00")],
        due_date="2026-11-09", **kw,
    )


class FakeServer:
    def __init__(self, view=None, online=True):
        self.view, self.online, self.calls = view, online, []

    def __call__(self, token=None, short_code=None, last4=""):
        self.calls.append((token, short_code, last4))
        if not self.online:
            raise Unreachable("offline")
        if self.view is None or (short_code and last4 != "8000"):
            raise NotFound("no")
        return self.view


def _texts(screen):
    return " ".join(getattr(w, "text", "") or "" for w in screen.walk(restrict=True))


def tap_visible(widget):
    """Scroll the widget's ScrollView so it is on screen (the test window is 800×600), then tap.

    Waits for layout first: a widget that just appeared (reasons after a 差评 level)
    has its final position only after a layout pass, which a loaded machine may delay.
    """
    from kivy.app import App
    from kivy.uix.scrollview import ScrollView

    App.get_running_app().poke()  # a slow, loaded test machine must not hit the idle timeout mid-test
    assert wait_until(lambda: widget.height > 1 and widget.get_root_window() is not None), f"{widget!r} never laid out"
    pump(3)
    parent = widget.parent
    while parent is not None and not isinstance(parent, ScrollView):
        parent = parent.parent if parent.parent is not parent else None  # the Window is its own parent
    if parent is not None:
        parent.scroll_to(widget, padding=10, animate=False)
        pump(3)
    _settle(widget)
    tap(widget, frames=3)


def _settle(widget, frames: int = 40) -> None:
    """Pump until the widget stops moving (texture sizes and layouts take a few frames)."""
    last = None
    for _ in range(frames):
        here = (widget.to_window(*widget.pos), tuple(widget.size))
        if here == last:
            return
        last = here
        pump(1)


def _scan(text):
    """What a keyboard-wedge scanner does: one key event per character, then Enter."""
    for ch in text:
        Window.dispatch("on_key_down", ord(ch) if ord(ch) < 128 else 0, 0, ch, [])
        Window.dispatch("on_textinput", ch)
    Window.dispatch("on_key_down", 13, 40, None, [])
    pump(2)


@pytest.fixture(autouse=True)
def home_entries(app):
    # Home builds its buttons on_pre_enter, which the very first screen never gets.
    app.root.get_screen("home").build_entries()
    pump(1)


@pytest.fixture()
def track(app, home_entries):
    tap(find_button(app.root.current_screen, "查询进度"))
    screen = app.root.current_screen
    assert screen.name == "track"
    yield screen
    screen.fetcher = None


def test_home_shows_track_rate_complain(app):
    for label in ("查询进度", "服务评价", "投诉箱"):
        assert find_button(app.root.current_screen, label)


def test_scanner_wedge_input_shows_status_without_a_text_field(app, track):
    from kivy.uix.textinput import TextInput

    assert not [w for w in track.walk() if isinstance(w, TextInput)], "scan needs no visible text field"
    server = FakeServer(_view())
    track.fetcher = server
    _scan(f"https://bianmin.example.cn/t/{TOKEN}")
    assert wait_until(lambda: track.mode == "result")
    assert server.calls == [(TOKEN, None, "")]
    text = _texts(track)
    assert "已办结" in text and "王*英" in text and "城乡居民养老保险参保登记" in text
    assert "评价这次服务" in text


def test_scanning_a_foreign_code_says_so(app, track):
    track.fetcher = FakeServer(_view())
    _scan("https://shop.example.com/item/123")
    assert track.mode == "not_found"
    assert "这不是便民服务回执上的二维码" in _texts(track)


def test_offline_shows_last_synced_copy_with_its_time(app, track):
    tracking.cache_view(app.store, tracking.cache_key(TOKEN, None), _view("awaiting_materials",
                        missing_materials=["户口簿复印件 1 份"]))
    track.fetcher = FakeServer(online=False)
    _scan(f"https://bianmin.example.cn/t/{TOKEN}")
    assert wait_until(lambda: track.mode == "result")
    text = _texts(track)
    assert "待补材料" in text and "户口簿复印件 1 份" in text
    assert "截至" in text


def test_short_code_pad_and_phone_digits(app, track):
    from bianmin.domain.tracking import new_short_code

    code = new_short_code()
    server = FakeServer(_view("forwarded"))
    track.fetcher = server
    tap(find_button(track, "输入查询码"))
    for symbol in code:
        tap_visible([b for b in track.ids.pad_dock.walk() if getattr(b, "text", None) == symbol][0])
    assert track.code == code
    tap_visible(find_button(track, "下一步"))
    assert track.mode == "phone"
    for digit in "8000":
        tap_visible([b for b in track.ids.pad_dock.walk() if getattr(b, "text", None) == digit][0])
    tap_visible(find_button(track, "查询"))
    assert wait_until(lambda: track.mode == "result")
    assert server.calls == [(None, code, "8000")]
    assert "已报送乡镇" in _texts(track)


def test_wrong_code_gives_not_found(app, track):
    from bianmin.domain.tracking import new_short_code

    track.fetcher = FakeServer(_view())
    track.code = new_short_code()
    track.mode = "phone"
    track.last4 = "1234"
    track.confirm_phone()
    assert wait_until(lambda: track.mode == "not_found")
    assert "未找到" in _texts(track)


def test_idle_clears_the_result(app, track):
    track.fetcher = FakeServer(_view())
    _scan(TOKEN)
    assert wait_until(lambda: track.mode == "result")
    app.go_home(clear=True)
    assert track.view is None and track.mode == "scan"


def test_bad_rating_needs_reason_then_is_saved(app):
    from bianmin.local import feedback

    tap(find_button(app.root.current_screen, "服务评价"))
    rate = app.root.current_screen
    assert rate.name == "rate"
    tap_visible(find_button(rate, "非常不满意"))
    assert rate.level == 1
    assert wait_until(lambda: rate.ids.reasons.height > 0 and rate.ids.reasons.opacity == 1)
    tap_visible(find_button(rate, "提交评价"))
    assert "请选择不满意的原因" in _texts(rate)
    before = app.store.connect().execute("SELECT COUNT(*) FROM ratings").fetchone()[0]
    tap_visible(find_button(rate, "态度不好"))
    tap_visible(find_button(rate, "提交评价"))
    assert rate.done_key == "rate.thanks_bad", (rate.message_key, rate.reasons, rate.level)
    row = app.store.connect().execute("SELECT level, reasons FROM ratings ORDER BY rowid DESC").fetchone()
    assert row["level"] == 1 and "attitude" in row["reasons"]
    assert app.store.connect().execute("SELECT COUNT(*) FROM ratings").fetchone()[0] == before + 1
    assert feedback.is_bad(row["level"])


def test_rating_an_application_from_the_tracking_result(app, track):
    import uuid

    track.fetcher = FakeServer(_view(application_uuid=str(uuid.uuid4())))
    _scan(TOKEN)
    assert wait_until(lambda: track.mode == "result")
    assert track.can_rate(), (track.view.rated, track.view.application_uuid, app.has_screen("rate"))
    button = find_button(track, "评价这次服务")
    tap_visible(button)  # no fallback: the misses came from the diverging scroll effect (test_scrolling.py)
    rate = app.root.current_screen
    assert rate.name == "rate" and "城乡居民养老保险参保登记" in _texts(rate)
    tap_visible(find_button(rate, "满意"))
    assert rate.level in (4, 5)
    tap_visible(find_button(rate, "提交评价"))
    row = app.store.connect().execute(
        "SELECT stage, application_uuid FROM ratings WHERE application_uuid IS NOT NULL").fetchone()
    assert row["stage"] == "completion"


def test_complaint_is_saved(app):
    tap(find_button(app.root.current_screen, "投诉箱"))
    screen = app.root.current_screen
    tap_visible(find_button(screen, "提交投诉"))
    assert "请选择投诉类别" in _texts(screen)
    tap_visible(find_button(screen, "乱收费"))
    screen.keyboard.set_text("代办员要求交100元")  # what the pinyin keyboard composes
    tap_visible(find_button(screen, "联系电话"))
    for digit in "138":
        tap_visible([b for b in screen.ids.digit_pad.children if b.text == digit][0])
    tap_visible(find_button(screen, "提交投诉"))
    assert screen.done
    row = app.store.connect().execute("SELECT category, text, contact FROM complaints").fetchone()
    assert tuple(row) == ("fee", "代办员要求交100元", "138")


def _local_application(app, phone="13912345678"):
    from datetime import UTC, datetime

    from bianmin.local import applications
    from tests.apply.fixtures import HUKOU, ID_CARD, sample_item

    return applications.create_application(
        app.store, sample_item(needs_id=False), name="巴特尔", phone=phone, materials_brought=[ID_CARD, HUKOU],
        consent_at=datetime.now(UTC), village_code=app.settings.room.code,
    )


def test_never_synced_application_shows_the_kiosks_own_record(app, track):
    local = _local_application(app)
    track.fetcher = FakeServer(online=False)
    _scan(f"http://127.0.0.1:8000/t/{local.token}")
    assert wait_until(lambda: track.mode == "result")
    text = _texts(track)
    assert "已登记" in text and "巴*尔" in text and "尚未上传" in text
    assert "13912345678" not in text


def test_offline_short_code_uses_synced_status_with_its_time(app, track):
    from datetime import UTC, date, datetime

    from bianmin.domain.wire import StatusChange
    from bianmin.local import status_cache

    local = _local_application(app, phone="13911112222")
    status_cache.ensure_schema(app.store)
    with app.store.transaction() as conn:
        status_cache.save_change(conn, StatusChange(
            application_uuid=local.uuid, status="accepted", changed_at=datetime.now(UTC), due_date=date(2026, 12, 4),
        ), datetime.now(UTC).isoformat())
    app.store.set_setting(status_cache.LAST_SUCCESS_KEY, datetime(2026, 11, 25, 2, 32, tzinfo=UTC).isoformat())
    track.fetcher = FakeServer(online=False)
    track.start_lookup(short_code=local.short_code, last4="2222")
    assert wait_until(lambda: track.mode == "result")
    text = _texts(track)
    assert "已受理" in text and "截至" in text and "2026-12-04" in text
    # The wrong phone digits find nothing, even offline.
    track.start_lookup(short_code=local.short_code, last4="9999")
    assert wait_until(lambda: track.mode == "not_found")


def test_bad_rating_with_words_typed_on_the_pinyin_keyboard(app, home_entries):
    tap_visible(find_button(app.root.current_screen, "服务评价"))
    rate = app.root.current_screen
    tap_visible(find_button(rate, "不满意"))
    assert rate.level in (1, 2)
    tap_visible(find_button(rate, "还想说的话"))
    assert rate.writing and rate.keyboard is not None
    assert wait_until(lambda: rate.ids.keyboard_box.height > 0)
    rate.keyboard.set_text("窗口没人<script>")  # what the pinyin keyboard composes
    assert "窗口没人" in find_button(rate, "还想说的话").text
    tap_visible(find_button(rate, "提交评价"))
    assert rate.done_key == "rate.thanks_bad", rate.message_key
    row = app.store.connect().execute("SELECT text, reasons FROM ratings ORDER BY rowid DESC").fetchone()
    assert row["text"] == "窗口没人<script>" and row["reasons"] == "[]"
    app.go_home(clear=True)
    assert rate.text == "" and rate.keyboard.text == ""


def test_typing_on_the_pads_creates_no_widgets(app, track, monkeypatch):
    """Issue 20: the pad was rebuilt on every key (new textures and vertex batches each time)."""
    from bianmin.domain.tracking import new_short_code

    tap(find_button(track, "输入查询码"))
    pad = track.ids.code_pad
    keys = {b.text: b for b in pad.children}
    widgets_before = {id(w) for w in track.walk(restrict=True)}
    created = record_new_widgets(monkeypatch)
    for _round in range(5):
        for symbol in new_short_code():
            tap(keys[symbol], frames=1)
        for _ in range(9):
            tap(keys[app.tr("track.backspace")], frames=1)
    for symbol in "7KQ2M9ABC":
        tap(keys[symbol], frames=1)
    assert track.code == "7KQ2M9ABC"
    track.mode = "phone"
    pump(2)
    digits = {b.text: b for b in track.ids.phone_pad.children}
    for digit in "12349876":
        tap(digits[digit], frames=1)
    assert track.last4 == "1234"
    track.show_code_pad()
    pump(2)
    assert created == [], f"{len(created)} widgets created while typing, e.g. {created[:5]}"
    assert {id(w) for w in track.walk(restrict=True)} == widgets_before
