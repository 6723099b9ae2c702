"""Guide details end to end: read aloud, action buttons, printing, a broken catalogue."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.kiosk.guide_helpers import dibao_items, texts
from tests.kiosk.harness import find_button, pump, record_new_widgets, tap, wait_until

pytestmark = pytest.mark.ui

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "catalogue_small.yaml"


def dibao(app):  # noqa: ANN001, ANN201
    return next(i for i in dibao_items(app) if i.name.startswith("最低生活保障"))


def open_detail(app, item) -> None:  # noqa: ANN001
    app.go("guide_detail", item_code=item.code)
    pump(3)


def test_detail_shows_every_guide_field(app):
    item = dibao(app)
    open_detail(app, item)
    page = texts(app.root.current_screen)
    expected = [item.name, item.applicants, item.office, item.result.name, "代办服务免费",
                f"承诺办结时限：{item.promised_limit.days} 个工作日", f"法定办结时限：{item.statutory_limit.days} 个工作日",
                *(s.name for s in item.steps), *(b.name for b in item.legal_basis), *(f.question for f in item.faq)]
    if item.conditions:
        expected.append(item.conditions)
    for material in item.materials:
        expected.append(material.name)
        if material.originals:
            expected.append(f"原件 {material.originals} 份")
        if material.copies:
            expected.append(f"复印件 {material.copies} 份")
    missing = [e for e in expected if e not in page]
    assert not missing, f"not shown: {missing}"


def test_scroll_buttons_move_through_a_long_guide(app):
    open_detail(app, dibao(app))
    screen = app.root.current_screen
    assert screen.ids.scroller.scroll_y == 1.0
    tap(find_button(screen, "下翻"))
    assert screen.ids.scroller.scroll_y < 1.0
    tap(find_button(screen, "上翻"))
    assert screen.ids.scroller.scroll_y == pytest.approx(1.0)


def test_read_aloud_speaks_name_materials_and_promised_time(app):
    item = dibao(app)
    open_detail(app, item)
    before = len(app.speaker.spoken)
    tap(find_button(app.root.current_screen, "朗读"))
    app.speaker.wait_idle()
    said = app.speaker.spoken[before:]
    assert len(said) == 1 and said[0].lang == "zh_CN"
    text = said[0].text
    assert item.name in text
    assert all(m.name in text for m in item.materials)
    assert f"{item.promised_limit.days}个工作日" in text


def test_without_speech_the_read_aloud_button_is_gone(app):
    speaker = app.speaker
    try:
        app.speaker = None
        open_detail(app, dibao(app))
        assert app.root.current_screen.read_aloud_available  # the screen has text to read...
        buttons = [w for w in app.root.current_screen.walk(restrict=True)
                   if getattr(w, "text", "") == "朗读" and w.get_root_window() is not None and w.parent]
        assert buttons == []  # ...but without speech there is no button
    finally:
        app.speaker = speaker
    pump(2)
    assert find_button(app.root.current_screen, "朗读")


def test_home_header_has_no_empty_back_and_home_slots(app):
    header = next(w for w in app.root.current_screen.walk() if w.__class__.__name__ == "Header")
    kinds = [getattr(w, "text", "") for w in header.children]
    assert "返回" not in kinds and "首页" not in kinds
    app.go("guide_browse")
    pump(2)
    header = next(w for w in app.root.current_screen.walk() if w.__class__.__name__ == "Header")
    assert {"返回", "首页"} <= {getattr(w, "text", "") for w in header.children}


def test_take_number_and_apply_buttons_follow_installed_screens(app):
    from kiosk.screens.base import KioskScreen

    class Recorder(KioskScreen):
        def set_params(self, **params: object) -> None:
            self.params = params

    added = []
    for name in ("queue_take", "apply_start"):
        if not app.has_screen(name):
            screen = Recorder(name=name)
            app.root.add_widget(screen)
            added.append(screen)
    try:
        item = dibao(app)
        open_detail(app, item)
        tap(find_button(app.root.current_screen, "取号"))
        assert app.root.current == "queue_take"
        if getattr(app.root.current_screen, "params", None) is not None:
            assert app.root.current_screen.params == {"item_code": item.code}
        open_detail(app, item)
        tap(find_button(app.root.current_screen, "申请代办"))
        assert app.root.current == "apply_start"
    finally:
        app.go_home()
        for screen in added:
            app.root.remove_widget(screen)
    if any(screen.name == "queue_take" for screen in added):  # only a stand-in was removed
        open_detail(app, dibao(app))
        with pytest.raises(AssertionError):
            find_button(app.root.current_screen, "取号")


def test_print_guide_submits_a_guide_slip(app):
    had_printer = hasattr(app, "printer")
    old = getattr(app, "printer", None)
    jobs = []
    app.printer = SimpleNamespace(submit=jobs.append)
    try:
        item = dibao(app)
        open_detail(app, item)
        tap(find_button(app.root.current_screen, "打印指南"))
        assert len(jobs) == 1
        slip = jobs[0]
        assert slip.kind == "guide" and slip.item_name == item.name
        assert [m.name for m in slip.materials] == [m.name for m in item.materials]
        assert slip.promised_days == item.promised_limit.days
        assert "代办服务免费" in slip.fees
        assert "正在打印" in texts(app.root.current_screen)
    finally:
        if had_printer:
            app.printer = old
        else:
            del app.printer


def reload_catalogue(app, loader) -> None:  # noqa: ANN001
    version = app.catalogue_version
    app.runtime.catalogue_loader = loader
    app.load_catalogue_in_background()
    assert wait_until(lambda: app.catalogue_version > version, timeout=30)
    pump(2)


@pytest.fixture()
def restore_catalogue(app):
    from kiosk.runtime import load_default_catalogue

    yield
    reload_catalogue(app, load_default_catalogue)
    assert app.staff_warning == ""


def test_broken_catalogue_keeps_last_good_copy_and_warns_staff(app, tmp_path, restore_catalogue):
    from bianmin.catalogue_source import load_active_catalogue

    shipped = tmp_path / "catalogue.yaml"
    shipped.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    reload_catalogue(app, lambda: load_active_catalogue(home=tmp_path, shipped=shipped))
    assert len(app.catalogue.items) == 6 and app.staff_warning == ""
    shipped.write_text("items: [this is: not: a catalogue", encoding="utf-8")
    reload_catalogue(app, lambda: load_active_catalogue(home=tmp_path, shipped=shipped))
    assert app.catalogue_source == "last_good" and len(app.catalogue.items) == 6
    assert "办事指南文件有误" in app.staff_warning
    assert app.root.current == "home"
    assert app.staff_warning in texts(app.root.current_screen)
    tap(find_button(app.root.current_screen, "办事指南"))
    assert "3 项" in find_button(app.root.current_screen, "代办").text  # the last good copy's counts


def test_missing_catalogue_does_not_crash(app, tmp_path, restore_catalogue):
    from bianmin.catalogue_source import load_active_catalogue

    reload_catalogue(app, lambda: load_active_catalogue(home=tmp_path, shipped=tmp_path / "nope.yaml"))
    assert app.catalogue_items() == []
    assert "没有可用的办事指南" in app.staff_warning
    app.go("guide_browse")
    pump(2)
    assert "暂时无法显示办事指南" in texts(app.root.current_screen)
    app.go("guide_search", query="db")
    pump(2)
    assert "暂时无法显示办事指南" in texts(app.root.current_screen)
    app.go("guide_list", topic="民政救助")
    pump(2)
    assert "暂时无法显示办事指南" in texts(app.root.current_screen)


def test_loader_crash_is_a_staff_warning(app, restore_catalogue):
    def boom():  # noqa: ANN202
        raise OSError("disk gone")

    reload_catalogue(app, boom)
    assert app.catalogue is None and app.search is None
    assert "disk gone" in app.staff_warning
    app.go("guide_browse")
    pump(2)
    assert "暂时无法显示办事指南" in texts(app.root.current_screen)


def test_no_speech_engine_means_no_speaker(monkeypatch):
    import kiosk.runtime as kiosk_app_module
    from bianmin.config import Config

    monkeypatch.setattr("shutil.which", lambda _name: None)
    assert kiosk_app_module.make_speaker(Config()) is None
    monkeypatch.setattr("shutil.which", lambda name: f"/usr/bin/{name}")
    assert kiosk_app_module.make_speaker(Config()) is not None
    quiet = Config.model_validate({"kiosk": {"speech": False}})
    assert kiosk_app_module.make_speaker(quiet) is None


def test_guide_pages_reuse_their_widgets(app, monkeypatch):
    """Issue 20: each guide page was built from ~60 new labels; now the same labels are refilled."""
    items = app.catalogue.items[:12]
    for item in items:  # the first visits may grow the pool to the longest page
        open_detail(app, item)
    created = record_new_widgets(monkeypatch)
    for item in items:
        open_detail(app, item)
        assert item.name in texts(app.root.current_screen)
    tap(find_button(app.root.current_screen, "下翻"))
    app.toggle_language()
    pump(3)
    app.toggle_language()
    pump(3)
    assert created == [], f"{len(created)} widgets created while reading guides, e.g. {created[:5]}"
    # and a shorter page leaves no rows of the longer one behind
    shortest = min(items, key=lambda i: len(i.materials) + len(i.steps) + len(i.faq))
    open_detail(app, shortest)
    page = texts(app.root.current_screen)
    leftovers = [i.name for i in items if i.name not in shortest.name and i.name in page]
    assert leftovers == []
