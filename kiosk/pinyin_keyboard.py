"""On-screen keyboards for the kiosk: pinyin (names, notes) and a numeric pad (phone, ID).

The kiosk has no physical keyboard and Kivy's own VKeyboard is disabled, so the
wizard uses these. The pinyin logic lives in ``bianmin.pinyin_ime``; this widget only
shows keys and the candidate bar, and forwards taps. Each key is a ``ImeKey`` whose
``key`` says what it does, so tests can tap the real keys.
"""

from __future__ import annotations

from pathlib import Path

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import (
    BooleanProperty,
    ColorProperty,
    ListProperty,
    NumericProperty,
    StringProperty,
)
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button

from bianmin.pinyin_ime import Candidate, PinyinComposer, default_engine
from kiosk.widgets import MUTED, OK

KEY_COLORS = {"key": (0.18, 0.22, 0.30, 1), "action": MUTED, "ok": OK, "candidate": (1, 1, 1, 1)}

LETTER_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm'")
CANDIDATES_PER_PAGE = 6
MAX_NAME = 40


class ImeKey(Button):
    """One key. ``key`` is a letter, a digit, 'X', or an action name (backspace, clear, confirm…)."""

    key = StringProperty("")
    tone = StringProperty("key")  # key | action | ok | candidate
    base_color = ColorProperty(KEY_COLORS["key"])

    def on_tone(self, _inst: object, tone: str) -> None:
        self.base_color = KEY_COLORS.get(tone, MUTED)


class _Keyboard(BoxLayout):
    """Common to both keyboards: the edited text and the confirm event."""

    text = StringProperty("")
    __events__ = ("on_confirm", "on_change")

    def on_confirm(self, *_args: object) -> None:
        pass

    def on_change(self, *_args: object) -> None:
        pass


class PinyinKeyboard(_Keyboard):
    preedit = StringProperty("")
    candidates = ListProperty([])  # all candidates for the pending letters
    page = NumericProperty(0)
    page_count = NumericProperty(0)
    max_length = NumericProperty(MAX_NAME)

    def __init__(self, **kwargs: object) -> None:
        self.composer = PinyinComposer(default_engine())
        super().__init__(**kwargs)
        Clock.schedule_once(lambda _dt: self._build_letters(), 0)

    def _build_letters(self) -> None:
        rows = self.ids.letter_rows
        rows.clear_widgets()
        for letters in LETTER_ROWS:
            row = BoxLayout(spacing=self.ids.letter_rows.spacing)
            for letter in letters:
                label = letter.upper() if letter != "'" else "'"
                button = ImeKey(key=letter, text=label)
                button.bind(on_release=lambda b: self.press(b.key))
                row.add_widget(button)
            rows.add_widget(row)

    # ----- state --------------------------------------------------------------------
    def set_text(self, text: str) -> None:
        self.composer.set_text(text)
        self._refresh()

    def reset(self) -> None:
        self.composer.clear()
        self._refresh()

    def _refresh(self) -> None:
        self.text = self.composer.committed
        self.preedit = self.composer.preedit
        self.candidates = self.composer.candidates()
        self.page = 0
        self.page_count = (len(self.candidates) + CANDIDATES_PER_PAGE - 1) // CANDIDATES_PER_PAGE
        self._show_page()
        self.dispatch("on_change")

    def _show_page(self) -> None:
        """Fill the candidate bar; its keys are made once and refilled on every letter
        (a new set per key press meant new textures and a slow frame each time, issue 20)."""
        bar = self.ids.get("candidate_bar")
        if bar is None:
            return
        if not hasattr(self, "_candidate_keys"):
            self._candidate_keys = []
        start = self.page * CANDIDATES_PER_PAGE
        page = self.candidates[start:start + CANDIDATES_PER_PAGE]
        keys = self._candidate_keys
        while len(keys) < len(page):
            button = ImeKey(key="candidate", text="", tone="candidate")
            button.bind(on_release=lambda b: self.choose(b.candidate))
            keys.append(button)
        for button, candidate in zip(keys, page, strict=False):
            button.candidate = candidate
            button.text = candidate.text
        for button in keys[len(page):]:
            button.candidate = None
            button.text = ""
        if list(reversed(bar.children)) != keys[:len(page)]:
            bar.clear_widgets()
            for button in keys[:len(page)]:
                bar.add_widget(button)

    def visible_candidates(self) -> list[Candidate]:
        start = self.page * CANDIDATES_PER_PAGE
        return list(self.candidates[start:start + CANDIDATES_PER_PAGE])

    # ----- actions (also what the keys call) ----------------------------------------
    def press(self, key: str) -> None:
        if key == "backspace":
            self.composer.backspace()
        elif key == "clear":
            self.composer.clear()
        elif key == "confirm":
            if self.composer.letters and self.candidates:
                self.choose(self.candidates[0])  # 完成 with letters pending takes the best guess
            self.dispatch("on_confirm")
            return
        elif key == "prev":
            self.page = max(0, self.page - 1)
            self._show_page()
            return
        elif key == "next":
            self.page = min(max(0, self.page_count - 1), self.page + 1)
            self._show_page()
            return
        else:
            if len(self.composer.committed) >= self.max_length:
                return
            self.composer.type(key)
        self._refresh()

    def choose(self, candidate: Candidate) -> None:
        if len(self.composer.committed) + len(candidate.text) > self.max_length:
            return
        self.composer.select(candidate)
        self._refresh()


class NumberPad(_Keyboard):
    """Digits, and X only when an ID number is being typed."""

    allow_x = BooleanProperty(False)
    max_length = NumericProperty(18)

    def press(self, key: str) -> None:
        if key == "backspace":
            self.text = self.text[:-1]
        elif key == "clear":
            self.text = ""
        elif key == "confirm":
            self.dispatch("on_confirm")
            return
        elif key.isdigit() or (key == "X" and self.allow_x):
            if len(self.text) < self.max_length:
                self.text += key
        self.dispatch("on_change")

    def set_text(self, text: str) -> None:
        self.text = text

    def reset(self) -> None:
        self.text = ""


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
