"""Reusable kiosk widgets (rules in widgets.kv): big touch targets, header bar."""

from __future__ import annotations

from kivy.properties import BooleanProperty, ColorProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.label import Label

# High-contrast palette (all text/background pairs pass WCAG AA, ≥ 4.5:1).
PRIMARY = (0.043, 0.310, 0.612, 1)  # #0B4F9C on white: 8.0:1
TEXT = (0.10, 0.10, 0.10, 1)  # #1A1A1A on white: 17:1
MUTED = (0.28, 0.28, 0.28, 1)  # #474747 on white: 9.4:1
OK = (0.082, 0.424, 0.176, 1)  # #156C2D
WARN = (0.702, 0.149, 0.118, 1)  # #B3261E
SURFACE = (0.94, 0.95, 0.97, 1)


class BigButton(Button):
    """A button at least ~15 mm tall with large wrapped text."""

    tone = StringProperty("primary")  # primary | secondary | ok | warn
    tone_color = ColorProperty(PRIMARY)

    def on_tone(self, _inst: object, tone: str) -> None:
        self.tone_color = {"primary": PRIMARY, "secondary": MUTED, "ok": OK, "warn": WARN}.get(tone, PRIMARY)


class BodyLabel(Label):
    """Wrapped body text that grows to its content's height."""


class TitleLabel(Label):
    pass


class Header(BoxLayout):
    """The bar on top of every screen: back, home, title, 大字, 朗读, language."""

    title = StringProperty("")
    show_back = BooleanProperty(True)
    read_aloud = BooleanProperty(False)  # show 朗读 (the screen provides text and speech works)
