"""Guide screens driven through real touches: browse, list, detail, search keyboard."""

from __future__ import annotations

import pytest
from kivy.core.window import Window

from tests.kiosk.guide_helpers import dibao_items, row_codes, rows, texts
from tests.kiosk.harness import find_button, pump, record_new_widgets, tap, wait_until

pytestmark = pytest.mark.ui


def current(app):  # noqa: ANN001, ANN201
    return app.root.current_screen


def type_on_keyboard(app, word: str) -> None:  # noqa: ANN001
    screen = app.root.get_screen("guide_search")
    for char in word:
        tap(screen.key_button("space" if char == " " else char), frames=1)
    pump(2)


def test_home_to_topic_to_item_to_detail_and_back(app):
    tap(find_button(current(app), "办事指南"))
    assert app.root.current == "guide_browse"
    target = dibao_items(app)[0]
    topic = target.topics[0]
    tap(find_button(current(app), topic))
    assert app.root.current == "guide_list"
    # Page through until the item's row shows (topics can have more items than one page).
    for _ in range(20):
        if target.code in row_codes(current(app)):
            break
        tap(current(app).ids.next_page)
    row = next(r for r in rows(current(app)) if r.item_code == target.code)
    tap(row)
    assert app.root.current == "guide_detail"
    page = texts(current(app))
    assert target.name in page
    for material in target.materials:
        assert material.name in page
    assert "代办服务免费" in page
    tap(find_button(current(app), "返回"))
    assert app.root.current == "guide_list"
    tap(find_button(current(app), "返回"))
    assert app.root.current == "guide_browse"
    tap(find_button(current(app), "首页"))
    assert app.root.current == "home"


def test_browse_counts_match_catalogue(app):
    app.go("guide_browse")
    pump(2)
    page = texts(current(app))
    proxy_count = sum(1 for i in app.catalogue.items if i.item_type == "proxy")
    assert "代办" in page and f"{proxy_count} 项" in page
    tap(find_button(current(app), "代办"))
    screen = current(app)
    assert screen.item_type == "proxy"
    shown = len(screen.items())
    assert shown == proxy_count
    assert len(rows(screen)) == min(shown, screen.rows_per_page())


def test_large_text_shows_fewer_rows_per_page(app):
    from kiosk.screens.guide_list import ROWS_PER_PAGE, ROWS_PER_PAGE_LARGE

    assert len(app.catalogue.items) > ROWS_PER_PAGE
    app.go("guide_list")  # no filter: every item
    pump(2)
    assert len(rows(current(app))) == ROWS_PER_PAGE
    tap(find_button(current(app), "大字"))
    pump(2)
    assert app.large_text
    assert len(rows(current(app))) == ROWS_PER_PAGE_LARGE < ROWS_PER_PAGE
    assert current(app).pages == -(-len(app.catalogue.items) // ROWS_PER_PAGE_LARGE)


@pytest.mark.parametrize("word", ["db", "dibao"])
def test_typing_on_screen_keyboard_finds_dibao(app, word):
    app.go("guide_browse")
    pump(2)
    tap(current(app).ids.search_entry)
    assert app.root.current == "guide_search"
    type_on_keyboard(app, word)
    screen = current(app)
    assert screen.query == word
    wanted = {i.code for i in dibao_items(app)}
    shown = row_codes(screen)
    assert shown and shown[0] in wanted, f"{word!r} showed {shown}"
    tap(rows(screen)[0])
    assert app.root.current == "guide_detail"
    assert current(app).item_code == shown[0]


def test_backspace_clear_and_show_all(app):
    app.go("guide_search")
    pump(2)
    screen = current(app)
    type_on_keyboard(app, "dbx")
    tap(screen.key_button("backspace"))
    assert screen.query == "db"
    assert screen.result_count >= 1
    tap(screen.ids.show_all)
    assert app.root.current == "guide_list"
    assert current(app).query == "db"
    assert set(row_codes(current(app))) <= {h.item.code for h in app.search.search("db", 200)}
    app.back()
    pump(2)
    tap(screen.ids.clear_button)
    assert screen.query == ""
    assert row_codes(screen) == []


def test_quick_word_searches_in_hanzi(app):
    app.go("guide_search")
    pump(2)
    tap(find_button(current(app), "低保"))
    assert current(app).query == "低保"
    assert set(row_codes(current(app))) & {i.code for i in dibao_items(app)}


def test_idle_timeout_clears_search_and_returns_home(app):
    app.go("guide_search")
    pump(2)
    type_on_keyboard(app, "db")
    search = app.root.get_screen("guide_search")
    assert search.query == "db"
    app._last_activity -= app.settings.kiosk.idle_timeout + 1
    pump(1)
    assert wait_until(lambda: app.root.current == "home", timeout=3)
    assert search.query == ""
    assert row_codes(search) == []
    assert app.root.get_screen("guide_detail").item_code == ""


def test_escape_does_not_leave_guide_screens(app):
    app.go("guide_detail", item_code=dibao_items(app)[0].code)
    pump(2)
    assert Window.dispatch("on_keyboard", 27, 0, "", []) is True
    pump(2)
    assert app.root.current == "guide_detail"


def test_unknown_item_shows_message_not_crash(app):
    app.go("guide_detail", item_code="NOSUCH999")
    pump(2)
    assert "找不到这个事项" in texts(current(app))


def test_english_guide_is_translated(app):
    app.lang = "en"
    app.go("guide_detail", item_code=dibao_items(app)[0].code)
    pump(3)
    page = texts(current(app))
    assert "Materials to bring" in page and "The proxy service is free" in page
    assert "guide." not in page  # no untranslated key leaked
    assert "要带的材料" not in page


def test_typing_a_search_creates_no_widgets(app, monkeypatch):
    """Issue 20: each key press rebuilt the result rows and the word keys (new textures every key)."""
    tap(find_button(current(app), "办事指南"))
    app.go("guide_search")
    pump(2)
    type_on_keyboard(app, "db")  # the rows are made by the first search
    current(app).clear()
    pump(2)
    created = record_new_widgets(monkeypatch)
    type_on_keyboard(app, "dibao")
    assert "最低生活保障" in " ".join(getattr(w, "text", "") for w in current(app).walk(restrict=True))
    for _ in range(5):
        tap(current(app).key_button("backspace"), frames=1)
    type_on_keyboard(app, "yl")
    assert created == [], f"{len(created)} widgets created while typing, e.g. {created[:5]}"
