"""The application wizard driven by touches on the real screens, printing to a recording printer."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from bianmin.local import applications as apps
from bianmin.local import outbox
from kiosk.pinyin_keyboard import ImeKey
from kiosk.screens.apply_common import MaterialRow, draft
from printer.slips import ReceiptSlip
from tests.apply.fixtures import HUKOU, ID_CARD, sample_item
from tests.kiosk.harness import find, find_button, pump, tap, wait_until

pytestmark = pytest.mark.ui


class RecordingPrinter:
    """Stands in for printer.service.PrintService: submit() commits and returns a job id."""

    def __init__(self, fail: bool = False) -> None:
        self.slips: list = []
        self.fail = fail
        self.lock = threading.Lock()

    def submit(self, slip) -> str:  # noqa: ANN001
        if self.fail:
            raise OSError("paper jam")
        with self.lock:
            self.slips.append(slip)
            return f"job-{len(self.slips)}"


@pytest.fixture()
def printer(app):
    real = app.printer
    p = RecordingPrinter()
    app.printer = p
    yield p
    app.printer = real


@pytest.fixture()
def preview_printer(app):
    """The app's own PrintService with the preview backend (PNG per slip, like the demo)."""
    assert app.printer is not None and app.printer.config.uri.startswith("preview://")
    return app.printer


def screen(app):
    return app.screen_manager.current_screen


def key(root, name: str) -> ImeKey:
    hits = [w for w in find(root, lambda w: isinstance(w, ImeKey) and w.key == name) if w.get_root_window()]
    assert hits, f"no key {name!r}"
    return hits[0]


def candidate(root, text: str) -> ImeKey:
    """The candidate key showing `text`, paging forward with the ▶ key as a villager would."""
    for _ in range(8):
        hits = find(root, lambda w: isinstance(w, ImeKey) and w.key == "candidate" and w.text == text)
        if hits:
            return hits[0]
        forward = key(root, "next")
        if forward.disabled:
            break
        tap(forward)
    assert hits, f"{text!r} not among {[w.text for w in find(root, lambda w: isinstance(w, ImeKey) and w.key == 'candidate')]}"
    return hits[0]


def type_letters(root, letters: str) -> None:
    for letter in letters:
        tap(key(root, letter), frames=1)
    pump(2)


def type_name(app, parts: list[tuple[str, str]]) -> None:
    """parts: (pinyin letters, candidate to tap), e.g. [('bateer', '巴'), ('', '特尔')]."""
    root = screen(app)
    for letters, choice in parts:
        type_letters(root, letters)
        tap(candidate(root, choice))


def open_wizard(app, item=None) -> None:
    app.go("apply_start", item=item or sample_item())
    pump(3)


def who_screen(app, printer):  # noqa: ANN001
    open_wizard(app)
    tap(find_button(screen(app), "缺材料，先登记"))
    assert app.screen_manager.current == "apply_who"
    return screen(app)


@pytest.mark.parametrize(("parts", "expected"), [
    ([("wangxiuying", "王秀英")], "王秀英"),
    ([("bateer", "巴"), ("", "特尔")], "巴特尔"),
    ([("qiqige", "其其格")], "其其格"),
    ([("wuyun", "乌云")], "乌云"),
])
def test_pinyin_keyboard_types_names_by_taps(app, printer, parts, expected):
    who = who_screen(app, printer)
    assert who.active_field == "name"
    type_name(app, parts)
    assert draft.name == expected
    assert who.fields["name"].value == expected
    assert who.pinyin.composer.letters == ""


def test_candidate_paging_and_backspace(app, printer):
    who = who_screen(app, printer)
    type_letters(who, "w")
    first_page = [c.text for c in who.pinyin.visible_candidates()]
    tap(key(who, "next"))
    assert who.pinyin.page == 1 and [c.text for c in who.pinyin.visible_candidates()] != first_page
    tap(key(who, "prev"))
    assert who.pinyin.page == 0
    tap(key(who, "backspace"))
    assert who.pinyin.composer.letters == "" and who.pinyin.candidates == []
    type_name(app, [("wang", "王")])
    tap(key(who, "clear"))
    assert draft.name == ""


def test_validation_errors_keep_typed_text_and_say_what_is_wrong(app, printer):
    who = who_screen(app, printer)
    tap(find_button(who, "下一步"))
    assert app.screen_manager.current == "apply_who"
    assert who.fields["name"].error == "请输入姓名"
    type_name(app, [("wuyun", "乌云")])
    assert who.fields["name"].error == ""
    tap(who.fields["phone"])
    for digit in "1380013800":
        tap(key(who, digit), frames=1)
    tap(who.fields["id_number"])
    for ch in "110105491231002":  # an old 15-digit number
        tap(key(who, ch), frames=1)
    tap(find_button(who, "下一步"))
    assert app.screen_manager.current == "apply_who"
    assert who.fields["phone"].error.startswith("手机号码应为11位")
    assert "15位的旧身份证号码" in who.fields["id_number"].error
    assert (draft.name, draft.phone, draft.id_number) == ("乌云", "1380013800", "110105491231002")
    assert who.fields["phone"].value == "1380013800"
    assert who.active_field == "phone"  # the first field in error gets the keyboard


def test_x_key_only_for_id_numbers(app, printer):
    who = who_screen(app, printer)
    tap(who.fields["phone"])
    assert key(who, "X").opacity == 0
    tap(who.fields["id_number"])
    assert key(who, "X").opacity == 1
    open_wizard(app, sample_item(needs_id=False, code="150121TEST0002"))
    tap(find_button(screen(app), "缺材料，先登记"))
    assert "id_number" not in screen(app).fields


def fill_who(app) -> None:
    who = screen(app)
    type_name(app, [("bateer", "巴"), ("", "特尔")])
    tap(key(who, "confirm"))  # 完成 moves on to the phone
    assert who.active_field == "phone"
    for digit in "13800138000":
        tap(key(who, digit), frames=1)
    tap(key(who, "confirm"))
    assert who.active_field == "id_number"
    for ch in "11010519491231002X":
        tap(key(who, ch), frames=1)
    tap(find_button(who, "下一步"))


def printed_slips(service, kind: str) -> list:
    return [j for j in service.jobs(50) if j.kind == kind]


def test_whole_wizard_by_touch_with_missing_materials(app, preview_printer):
    import zxingcpp
    from PIL import Image

    from printer.layouts import layout_for, layout_text

    service = preview_printer
    notices_before = len(printed_slips(service, "notice"))
    open_wizard(app)
    start = screen(app)
    rows = {r.name: r for r in find(start, lambda w: isinstance(w, MaterialRow))}
    tap(rows[ID_CARD])
    assert rows[ID_CARD].ticked and draft.brought == {ID_CARD}
    assert "还缺 1 项" in start.ids.missing_label.text and HUKOU in start.ids.missing_label.text
    tap(find_button(start, "打印一次性告知单"))
    assert wait_until(lambda: len(printed_slips(service, "notice")) == notices_before + 1)
    notice_job = printed_slips(service, "notice")[0]
    notice = notice_job.slip()
    assert [m.name for m in notice.materials if m.missing] == [HUKOU, "近期免冠照片"]
    tap(find_button(start, "缺材料，先登记"))

    fill_who(app)
    assert app.screen_manager.current == "apply_consent"
    consent = screen(app)
    assert "姓名、电话和身份证号码" in consent.body and "保存多久" in consent.body
    tap(find_button(consent, "下一步"))
    assert app.screen_manager.current == "apply_consent" and consent.error == "apply.consent_required"
    tap(find_button(consent, "同意登记"))
    tap(find_button(consent, "下一步"))
    assert app.screen_manager.current == "apply_confirm"

    confirm = screen(app)
    values = dict(confirm.rows)
    assert values["姓名"] == "巴特尔" and values["电话"] == "138 0013 8000"
    assert values["身份证号码"] == "110105 ******** 002X"
    tap(find_button(confirm, "显示完整号码"))
    assert dict(confirm.rows)["身份证号码"] == "110105 19491231 002X"
    assert values["还缺的材料"] == f"{HUKOU}、近期免冠照片"
    assert values["办理时限"].startswith("材料齐全受理后 5 个工作日内办结（预计")
    # back and forward keep everything
    tap(find_button(confirm, "上一步"))
    tap(find_button(screen(app), "下一步"))
    assert app.screen_manager.current == "apply_confirm"

    tap(find_button(confirm, "确认提交"))
    assert wait_until(lambda: app.screen_manager.current == "apply_done")
    done = screen(app)
    assert wait_until(lambda: done.print_state == "printed", timeout=15)
    assert "回执已打印" in done.ids.print_label.text

    saved = apps.get_application(app.store, done.app_uuid)
    assert saved.status == "awaiting_materials" and saved.applicant_name == "巴特尔"
    assert saved.id_number == "11010519491231002X" and saved.materials_missing == [HUKOU, "近期免冠照片"]
    assert saved.notice_job == str(notice_job.id)
    assert wait_until(lambda: apps.get_application(app.store, saved.uuid).receipt_job != "")
    row = app.store.connect().execute("SELECT 1 FROM outbox WHERE kind='application' AND uuid=?", (saved.uuid,)).fetchone()
    assert row is not None

    job = service.job(int(apps.get_application(app.store, saved.uuid).receipt_job))
    assert job.kind == "receipt" and job.status == "printed"
    receipt = job.slip()
    assert receipt.short_code == saved.short_code and receipt.tracking_url.endswith("/t/" + saved.token)
    # what is printed: masked name and phone, never the ID number; a QR that scans to the page
    text = layout_text(layout_for(receipt))
    assert "巴*尔" in text and "138****8000" in text
    assert "巴特尔" not in text and "13800138000" not in text
    assert "11010519491231002X" not in text and "19491231" not in text
    assert f"{saved.short_code[:4]}-{saved.short_code[4:8]}-{saved.short_code[8]}" in text
    found = zxingcpp.read_barcodes(Image.open(job.preview_path))
    assert [b.text for b in found] == [receipt.tracking_url]

    assert done.code_text == f"{saved.short_code[:4]}-{saved.short_code[4:8]}-{saved.short_code[8]}"
    assert done.ids.code_label.text == done.code_text
    assert "待补材料" in done.status_text and "个工作日内办结" in done.promise
    # the done screen shows nothing personal, and the draft is gone
    shown = " ".join(getattr(w, "text", "") for w in done.walk())
    assert "巴特尔" not in shown and "13800138000" not in shown
    assert draft.name == "" and draft.item is None
    tap(find_button(done, "完成"))
    assert app.screen_manager.current == "home"


def drive_to_confirm(app) -> None:
    open_wizard(app)
    tap(find_button(screen(app), "缺材料，先登记"))
    fill_who(app)
    tap(find_button(screen(app), "同意登记"))
    tap(find_button(screen(app), "下一步"))
    assert app.screen_manager.current == "apply_confirm"


def count(app) -> int:
    apps.ensure_schema(app.store)
    return app.store.connect().execute("SELECT COUNT(*) FROM applications").fetchone()[0]


def test_printing_problem_never_loses_the_application(app):
    real, app.printer = app.printer, RecordingPrinter(fail=True)
    try:
        before = count(app)
        drive_to_confirm(app)
        tap(find_button(screen(app), "确认提交"))
        assert wait_until(lambda: app.screen_manager.current == "apply_done")
        done = screen(app)
        assert wait_until(lambda: done.print_state == "failed")
        assert "申请已经保存" in done.ids.print_label.text
        assert count(app) == before + 1
    finally:
        app.printer = real


def test_no_printer_configured(app):
    real, app.printer = app.printer, None
    try:
        drive_to_confirm(app)
        tap(find_button(screen(app), "确认提交"))
        assert wait_until(lambda: app.screen_manager.current == "apply_done")
        assert wait_until(lambda: screen(app).print_state == "no_printer")
    finally:
        app.printer = real


def test_idle_timeout_mid_wizard_discards_the_draft(app, printer):
    before = count(app)
    drive_to_confirm(app)
    app._last_activity -= app.settings.kiosk.idle_timeout + 1
    assert app.check_idle()
    pump(2)
    assert app.screen_manager.current == "home"
    assert (draft.item, draft.name, draft.phone, draft.id_number, draft.consent) == (None, "", "", "", False)
    assert count(app) == before
    who = app.screen_manager.get_screen("apply_who")
    assert all(f.value == "" for f in who.fields.values())
    assert app.screen_manager.get_screen("apply_confirm").rows == []


def test_home_clears_the_wizard(app, printer):
    who = who_screen(app, printer)
    type_name(app, [("wuyun", "乌云")])
    tap(who.ids.get("home_button") or find_button(who, "首页"))
    assert app.screen_manager.current == "home"
    assert draft.name == ""


def test_without_an_item_the_screen_says_choose_one_first(app):
    app.go("apply_start")
    pump(3)
    start = screen(app)
    assert not start.has_item
    texts = [getattr(w, "text", "") for w in start.walk()]
    assert "先选择要办理的事项" in texts
    tap(find_button(start, "查看办事指南"))
    assert app.screen_manager.current == "guide_browse"
    app.go("apply_start")
    pump(2)
    tap(find_button(screen(app), "搜索事项"))
    assert app.screen_manager.current == "guide_search"
    app.go("apply_start", item_code="NOSUCHITEM1")
    pump(2)
    assert "找不到这个事项，请重新选择" in [getattr(w, "text", "") for w in start.walk()]


def test_staff_list_reprints_and_corrects_before_upload(app, printer):
    item = sample_item()
    a = apps.create_application(app.store, item, name="王秀瑛", phone="13800138000", id_number="11010519491231002X",
                                materials_brought=[ID_CARD, HUKOU], consent_at=datetime.now(UTC),
                                village_code=app.settings.room.code)
    app.go("staff_applications")
    pump(3)
    assert app.screen_manager.current == "staff_pin"  # staff only: the PIN pad comes first
    from kiosk.staff import begin_session

    begin_session(app)
    app.go("staff_applications")
    staff = screen(app)
    assert wait_until(lambda: any(r.app_uuid == a.uuid for r in staff.ids.rows.children if hasattr(r, "app_uuid")))
    row = next(r for r in staff.ids.rows.children if getattr(r, "app_uuid", "") == a.uuid)
    assert "王秀瑛" in row.person and "138****8000" in row.person
    tap(row.ids.reprint_button)
    assert wait_until(lambda: any(isinstance(s, ReceiptSlip) and s.short_code == a.short_code for s in printer.slips))
    assert wait_until(lambda: "已补打回执" in staff.message)
    tap(row.ids.edit_button)
    assert staff.editing == a.uuid
    tap(key(staff, "backspace"))  # 王秀瑛 -> 王秀
    type_letters(staff, "ying")
    tap(candidate(staff, "英"))
    tap(staff.ids.phone_field)
    tap(key(staff, "backspace"))
    tap(key(staff, "1"))
    tap(staff.ids.edit_save_button)
    fixed = apps.get_application(app.store, a.uuid)
    assert (fixed.applicant_name, fixed.phone) == ("王秀英", "13800138001")
    assert outbox.serializer_for("application")(app.store.connect(), a.uuid)["applicant_name"] == "王秀英"
    assert staff.message == "已改正，将重新上传"


def test_guide_page_starts_the_wizard_for_its_item(app):
    assert wait_until(lambda: app.catalogue_ready, timeout=30)
    item = next(i for i in app.catalogue.items if i.item_type == "proxy" and i.materials)
    app.go("guide_detail", item_code=item.code)
    pump(5)
    tap(find_button(screen(app), "申请代办"))
    assert app.screen_manager.current == "apply_start"
    start = screen(app)
    assert start.has_item and start.item_name == item.name
    assert {r.name for r in find(start, lambda w: isinstance(w, MaterialRow))} == {m.name for m in item.materials}
