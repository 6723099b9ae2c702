"""The kiosk's ScrollView keeps a constant number of observers however often it scrolls.

Kivy 2.3.1's ``ScrollView.update_from_scroll`` binds ``bar_color → _change_bar_color``
each time it runs and its 0.5 s timer unbinds only one; a kiosk screen lives all day,
so with the stock class the observers pile up (docs/kivy-upstream.md).
"""

from __future__ import annotations

import time

import pytest
from kivy.clock import Clock
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

pytestmark = pytest.mark.ui

SCROLLS = 10_000


def scroll_many(view: ScrollView, times: int) -> None:
    """Move the view the way a finger or the ↓ buttons do: set scroll_y, then run what the
    next frame runs (update_from_scroll); the Clock ticks now and then and once after the
    0.5 s fade timer is due, so the timer's unbinding takes its part as on a kiosk.
    """
    for n in range(times):
        view.scroll_y = (n % 10) / 10
        view.update_from_scroll()
        if n % 500 == 0:
            Clock.tick()
    time.sleep(0.6)
    Clock.tick()


def observers(view: ScrollView) -> int:
    return len(view.get_property_observers("bar_color")) + len(view.get_property_observers("bar_inactive_color"))


def tall_view(cls: type[ScrollView]) -> ScrollView:
    view = cls(size=(400, 300), size_hint=(None, None), do_scroll_x=False)
    view.add_widget(Widget(size_hint_y=None, height=3000))
    Clock.tick()
    return view


def test_kiosk_scrollview_observers_stay_constant_over_10000_scrolls():
    from kiosk.widgets import KioskScrollView

    view = tall_view(KioskScrollView)
    scroll_many(view, 10)
    before = observers(view)
    scroll_many(view, SCROLLS)
    assert observers(view) == before
    assert before <= 2


def test_kivy_scrollview_still_leaks():
    """When this fails, Kivy fixed the leak upstream and KioskScrollView can go."""
    view = tall_view(ScrollView)
    before = observers(view)
    scroll_many(view, 200)
    assert observers(view) > before + 100


def test_every_scrollview_on_the_kiosk_is_the_fixed_one(app):
    from kiosk.widgets import KioskScrollView

    found = []
    for screen in app.root.screens:
        found += [w for w in screen.walk(restrict=True) if isinstance(w, ScrollView)]
    assert found, "the kiosk has scrolling screens"
    stock = [f"{w.parent.__class__.__name__}>{w.__class__.__name__}" for w in found
             if not isinstance(w, KioskScrollView)]
    assert stock == []
