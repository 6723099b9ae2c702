"""Search the guides with an on-screen keyboard: pinyin, initials, digits; results live.

Villagers have no physical keyboard and many cannot type hanzi, so the keys are
the letters a–z in alphabetical order (easier to find than QWERTY for someone
who never typed), digits, space and backspace, plus a few common words in hanzi.
Every key press re-runs the search (the index answers in a few ms).
"""

from __future__ import annotations

from kivy.properties import NumericProperty, StringProperty
from kivy.uix.widget import Widget
from kivy.utils import escape_markup

from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)

KEY_ROWS: list[list[str]] = [
    list("abcdefghij"),
    list("klmnopqrst"),
    [*"uvwxyz", "space", "backspace"],
    list("1234567890"),
]
WIDE_KEYS = {"space": 2, "backspace": 2}
MAX_QUERY = 30
COUNT_LIMIT = 200
ROWS_SHOWN = 3
ROWS_SHOWN_LARGE = 2


def key_height(scale: float) -> float:
    """Keys grow less than text in 大字 mode, so results still fit above the keyboard."""
    from kivy.metrics import dp, mm

    return max(mm(15), dp(62) * min(scale, 1.15))


class GuideSearchScreen(KioskScreen):
    query = StringProperty("")
    result_count = NumericProperty(0)

    def on_kv_post(self, _base: object) -> None:
        self._keys: dict[str, object] = {}
        self._build_keyboard()
        self.bind(query=lambda *_a: self.refresh())
        self.app.bind(catalogue_version=self.invalidate, lang=self._relabel, large_text=self.invalidate)

    # ----- keyboard ----------------------------------------------------------------
    def _build_keyboard(self) -> None:
        from kivy.uix.boxlayout import BoxLayout

        from kiosk.widgets import KeyButton

        board = self.ids.keyboard
        board.height = self._keyboard_height()
        self.app.bind(text_scale=lambda *_a: setattr(board, "height", self._keyboard_height()))
        for row_keys in KEY_ROWS:
            row = BoxLayout(spacing=board.spacing)
            for key in row_keys:
                button = KeyButton(tone="action" if key in WIDE_KEYS else "key",
                                   size_hint_x=WIDE_KEYS.get(key, 1))
                button.key_value = key
                button.bind(on_release=lambda _b, k=key: self.press(k))
                self._keys[key] = button
                row.add_widget(button)
            board.add_widget(row)
        self._relabel()

    def _keyboard_height(self) -> float:
        rows = len(KEY_ROWS)
        return rows * key_height(self.app.text_scale) + (rows - 1) * self.ids.keyboard.spacing

    def _relabel(self, *_args: object) -> None:
        for key, button in self._keys.items():
            button.text = self.app.tr(f"guide.key_{key}") if key in WIDE_KEYS else key
        self.invalidate()

    def key_button(self, key: str):  # noqa: ANN201
        """The on-screen key for a letter/digit or 'space'/'backspace' (tests tap it)."""
        return self._keys[key]

    def press(self, key: str) -> None:
        if key == "backspace":
            self.query = self.query[:-1]
        elif key == "space":
            if self.query and not self.query.endswith(" "):
                self.query += " "
        elif len(self.query) < MAX_QUERY:
            self.query += key

    def clear(self) -> None:
        self.query = ""

    def set_word(self, word: str) -> None:
        self.query = word

    # ----- results -----------------------------------------------------------------
    def results(self, limit: int) -> list:
        search = self.app.search
        if search is None or not self.query.strip():
            return []
        return [hit.item for hit in search.search(self.query, limit)]

    def refresh(self) -> None:
        """Show the results for the query; the same rows and word keys are refilled on every key
        (a rebuild per key press cost new textures and a slow frame each time, issue 20)."""
        from kivy.metrics import sp

        from kiosk.screens.guide_list import item_summary

        app = self.app
        status = self.ids.status
        if not app.catalogue_ready:
            status.text = app.tr("guide.loading")
        elif not app.catalogue_items():
            status.text = app.tr("guide.no_catalogue")
        else:
            status.text = ""
        wanted: list[Widget] = []
        if not self.query.strip():
            self.result_count = 0
            if app.catalogue_items():
                wanted += self._quick_words()
        else:
            found = self.results(COUNT_LIMIT)
            self.result_count = len(found)
            if not found and app.catalogue_items():
                status.text = app.tr("guide.search_none")
            small = int(sp(20) * app.text_scale)
            shown = found[:ROWS_SHOWN_LARGE if app.large_text else ROWS_SHOWN]
            for row, item in zip(self._result_rows(), shown, strict=False):
                row.item_code = item.code
                row.text = (f"[b]{escape_markup(item.name)}[/b]\n"
                            f"[size={small}]{escape_markup(item_summary(app, item))}[/size]")
                wanted.append(row)
        wanted.append(self._filler)  # keeps the rows at the top
        area = self.ids.results
        if list(reversed(area.children)) != wanted:
            area.clear_widgets()
            for widget in wanted:
                area.add_widget(widget)
        self.refresh_read_aloud()

    def _result_rows(self) -> list:
        """The result rows, made once (as many as the normal text size shows)."""
        if not hasattr(self, "_rows"):
            from kiosk.widgets import ListRow

            self._filler = Widget()
            self._rows = []
            for _ in range(max(ROWS_SHOWN, ROWS_SHOWN_LARGE)):
                row = ListRow()
                row.item_code = ""
                row.bind(on_release=lambda r: self.app.go("guide_detail", item_code=r.item_code))
                self._rows.append(row)
        return self._rows

    def _quick_words(self) -> list[Widget]:
        """A few common words in hanzi, for villagers who cannot spell the pinyin."""
        from kivy.uix.gridlayout import GridLayout

        from kiosk.widgets import KeyButton, SectionLabel

        app = self.app
        self._result_rows()  # makes the filler too
        if not hasattr(self, "_words_grid"):
            self._words_title = SectionLabel()
            self._words_grid = GridLayout(spacing=self.ids.keyboard.spacing, size_hint_y=None)
            self._words_grid.bind(minimum_height=self._words_grid.setter("height"))
            self._word_buttons: list = []
        grid = self._words_grid
        self._words_title.text = app.tr("guide.search_common")
        grid.cols = 4 if app.large_text else 5
        words = app.tr("guide.quick_words").split(",")[:grid.cols if app.large_text else 2 * grid.cols]
        buttons = self._word_buttons
        while len(buttons) < len(words):
            button = KeyButton(tone="word", size_hint_y=None)
            button.bind(on_release=lambda b: self.set_word(b.text))
            buttons.append(button)
        if list(reversed(grid.children)) != buttons[:len(words)]:
            grid.clear_widgets()
            for button in buttons[:len(words)]:
                grid.add_widget(button)
        for button, word in zip(buttons, words, strict=False):
            button.text = word
            button.height = key_height(app.text_scale)
        return [self._words_title, grid]

    def show_all(self) -> None:
        if self.query.strip():
            self.app.go("guide_list", query=self.query.strip())

    # ----- shell hooks -------------------------------------------------------------
    def set_params(self, query: str = "", **_: object) -> None:
        self.query = query

    def clear_inputs(self) -> None:
        self.query = ""

    def read_aloud_text(self) -> str:
        return self.app.tr("guide.read_search")
