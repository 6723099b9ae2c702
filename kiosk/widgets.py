"""Reusable kiosk widgets (rules in widgets.kv): big touch targets, header bar, scroll view."""

from __future__ import annotations

from kivy.properties import (
    BooleanProperty,
    ColorProperty,
    ListProperty,
    NumericProperty,
    StringProperty,
)
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView
from kivy.utils import escape_markup

# High-contrast palette (all text/background pairs pass WCAG AA, ≥ 4.5:1).
PRIMARY = (0.043, 0.310, 0.612, 1)  # #0B4F9C on white: 8.0:1
TEXT = (0.10, 0.10, 0.10, 1)  # #1A1A1A on white: 17:1
MUTED = (0.28, 0.28, 0.28, 1)  # #474747 on white: 9.4:1
OK = (0.082, 0.424, 0.176, 1)  # #156C2D
WARN = (0.702, 0.149, 0.118, 1)  # #B3261E
SURFACE = (0.94, 0.95, 0.97, 1)


class ToneButton(Button):
    """A flat, high-contrast button coloured by its tone; sizes come from subclasses.

    Each size rule lives in exactly one class: two kv rules binding the same
    property (e.g. height) both stay active in Kivy and fight, or loop forever.
    """

    tone = StringProperty("primary")  # primary | secondary | ok | warn
    tone_color = ColorProperty(PRIMARY)

    def on_tone(self, _inst: object, tone: str) -> None:
        self.tone_color = {"primary": PRIMARY, "secondary": MUTED, "ok": OK, "warn": WARN}.get(tone, PRIMARY)


class BigButton(ToneButton):
    """A button at least ~15 mm tall with large wrapped text.

    Set ``fixed_height`` (not ``height``) to size it from its parent, e.g. in a bar.
    """

    fixed_height = NumericProperty(0)


class BarButton(ToneButton):
    """A button in a bottom action bar: as tall as the bar, text one size smaller, wrapping."""


class HeaderButton(ToneButton):
    """A Header button: one line, as wide as its text (at least ~22 mm)."""


class BodyLabel(Label):
    """Wrapped body text that grows to its content's height."""


class TitleLabel(Label):
    pass


class DisplayLabel(Label):
    """A large bold line, ``factor`` × a title's size: what was typed, a status (centred, PRIMARY)."""

    factor = NumericProperty(1.3)


class Header(BoxLayout):
    """The bar on top of every screen: back, home, title, 朗读, 大字, language.

    Hidden buttons are taken out of the layout (not just made transparent), so on
    Home the title gets the room that back/home would use.
    """

    title = StringProperty("")
    show_back = BooleanProperty(True)
    read_aloud = BooleanProperty(False)  # show 朗读 (the screen provides text and speech works)

    def on_kv_post(self, _base: object) -> None:
        self._order = list(reversed(self.children))  # kv order, left to right
        self._sync_slots()
        self.bind(show_back=self._sync_slots, read_aloud=self._sync_slots)

    def _visible(self, widget: object) -> bool:
        if widget in (self.ids.back_button.__self__, self.ids.home_button.__self__):
            return self.show_back
        if widget is self.ids.read_aloud_button.__self__:
            return self.read_aloud
        return True

    def _sync_slots(self, *_args: object) -> None:
        wanted = [w for w in self._order if self._visible(w)]
        if list(reversed(self.children)) == wanted:
            return
        self.clear_widgets()
        for widget in wanted:
            self.add_widget(widget)


def tile_text(title: str, hint: str, scale: float) -> str:
    """Two-line tile label: the title big, the hint/count smaller (markup sizes are pixels)."""
    from kivy.metrics import sp

    return f"{escape_markup(title)}\n[size={int(sp(20) * scale)}][b]{escape_markup(hint)}[/b][/size]"


class TileButton(ToneButton):
    """A large tile: a bold title line and a smaller second line (markup), e.g. a count."""


class ListRow(Button):
    """A full-width list row (≥ 15 mm): bold first line, details on the second; dark on light."""


class SectionLabel(Label):
    """A section heading inside a long page (e.g. 办理步骤 on a guide)."""


class KeyButton(Button):
    """One key of an on-screen keyboard: big, light, dark text."""

    tone = StringProperty("key")  # key (a letter) | word (a hanzi quick word) | action



class KioskScrollView(ScrollView):
    """The ScrollView every kiosk screen uses: Kivy's, without its observer leak.

    Kivy 2.3.1's ``update_from_scroll`` binds ``bar_color → _change_bar_color`` on
    every run and its 0.5 s timer unbinds only one binding, so a screen that lives
    all day and scrolls (or whose content changes size) gathers observers without
    end (docs/kivy-upstream.md). Dropping the previous binding first keeps at most one.
    Kiosk defaults (no sideways scrolling) live in widgets.kv.
    """

    def update_from_scroll(self, *largs: object) -> None:
        self.funbind("bar_color", self._change_bar_color)
        super().update_from_scroll(*largs)
        if not self._touch:
            # Kivy syncs its scroll effect with scroll_y only when a touch starts; after the
            # ↑/↓ buttons or a new page of another height the stale effect could later set
            # scroll_y far outside 0..1 (its old offset over a tiny scrollable height).
            self._update_effect_bounds()


class ShowBox(BoxLayout):
    """A box whose kv children come and go by their ``shown`` flag, always in kv order.

    Why not rebuild: creating widgets per state change allocates new textures and
    vertex batches each time, which on a software renderer grew the kiosk by hundreds
    of MB (issue 20); and a hidden widget left in a BoxLayout still takes its spacing.
    So the widgets are made once by kv and only taken out of / put back into the layout.
    A child sets ``shown: <kv expression>``; children without it are always shown.
    """

    def on_kv_post(self, _base: object) -> None:
        self._order = list(reversed(self.children))  # strong references, kv order
        for widget in self._order:
            if "shown" in widget.properties():
                widget.fbind("shown", self.sync_shown)
        self.sync_shown()

    def sync_shown(self, *_args: object) -> None:
        wanted = [w for w in self._order if getattr(w, "shown", True)]
        if list(reversed(self.children)) == wanted:
            return
        for widget in list(self.children):
            if widget not in wanted:
                self.remove_widget(widget)
        for index, widget in enumerate(wanted):
            if widget.parent is None:
                # add_widget's index counts from the end of the children list
                self.add_widget(widget, index=len(self.children) - index)


class KeyPad(GridLayout):
    """A grid of big keys made once from ``symbols`` plus a backspace key.

    Dispatches ``on_key(symbol)`` and ``on_backspace``; the keys are never rebuilt
    while the villager types (the display above the pad changes, the pad does not).
    A key acts on press, not release: inside a ScrollView Kivy delivers a tap's
    press when the finger lifts but its release only 0.2 s later, which would make
    every key feel slow (issue 20: key press → next frame ≤ 50 ms).
    """

    symbols = ListProperty([])
    backspace_text = StringProperty("")
    key_height = NumericProperty(64)

    __events__ = ("on_key", "on_backspace")

    def on_symbols(self, _inst: object, symbols: list[str]) -> None:
        self.clear_widgets()
        for symbol in symbols:
            key = BigButton(text=symbol, tone="primary")
            key.bind(on_press=lambda _b, s=symbol: self.dispatch("on_key", s))
            self.add_widget(key)
        erase = BigButton(text=self.backspace_text, tone="secondary")
        erase.bind(on_press=lambda *_a: self.dispatch("on_backspace"))
        self.bind(backspace_text=erase.setter("text"))
        self.add_widget(erase)

    def on_key(self, symbol: str) -> None:
        pass

    def on_backspace(self) -> None:
        pass


class RowsBox(BoxLayout):
    """A vertical page of text rows set from data (``rows``), its widgets reused.

    Each row is a dict: ``kind`` (a key of ``ROW_CLASSES``) plus the label's properties
    (text, markup, bold). Like a RecycleView's data, but every row is laid out (the
    rows have their own heights and the page scrolls by the ↑/↓ buttons): widgets of
    a kind are kept in a pool and refilled, so opening guide after guide, switching
    language or 大字 creates no widgets once the longest page has been shown.
    Rows no longer shown get empty text, which frees their texture.
    """

    rows = ListProperty([])

    def __init__(self, **kwargs: object) -> None:
        self._pool: dict[str, list[Label]] = {}
        super().__init__(**kwargs)

    def on_rows(self, _inst: object, rows: list[dict]) -> None:
        used: dict[str, int] = {}
        wanted = []
        for row in rows:
            kind = row.get("kind", "body")
            pool = self._pool.setdefault(kind, [])
            index = used.get(kind, 0)
            used[kind] = index + 1
            if index == len(pool):
                made = ROW_CLASSES[kind]()
                made.row_defaults = {"markup": made.markup, "bold": made.bold}  # as its kv rule made it
                pool.append(made)
            widget = pool[index]
            for name, default in widget.row_defaults.items():
                setattr(widget, name, row.get(name, default))
            widget.text = row.get("text", "")
            wanted.append(widget)
        for kind, pool in self._pool.items():
            for widget in pool[used.get(kind, 0):]:
                widget.text = ""
        if list(reversed(self.children)) != wanted:
            self.clear_widgets()
            for widget in wanted:
                self.add_widget(widget)


ROW_CLASSES: dict[str, type[Label]] = {"title": TitleLabel, "section": SectionLabel, "body": BodyLabel}
