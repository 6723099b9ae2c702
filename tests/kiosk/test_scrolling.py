"""Scrolling stays put after a slow frame (regression: rating taps did nothing in the full suite).

A tap on a ScrollView whose content is shorter than the view (scroll_y left at 0
by an earlier, longer state) starts Kivy's overscroll spring. Kivy's damped effect
integrates it with the frame time unclamped, so one frame longer than ~0.7 s (a
loaded machine, a collection, a slow load) makes it diverge: the content flew
thousands of pixels off screen and the next taps hit nothing.
"""

from __future__ import annotations

import pytest
from kivy.uix.scrollview import ScrollView

from tests.kiosk.harness import find, pump, tap

pytestmark = pytest.mark.ui


def _overscrolled_effect(app):  # noqa: ANN001
    rate = app.root.get_screen("rate")
    view = find(rate, lambda w: isinstance(w, ScrollView))[0]
    effect = view.effect_y
    effect.min = effect.max = 222.0
    effect.value = 0.0  # what scroll_y = 0 gives for content 222 px shorter than the view
    effect.velocity = 0.0
    effect.is_manual = False
    return effect


@pytest.mark.parametrize("frame_seconds", [1 / 60, 0.3, 1.0, 3.0])
def test_overscroll_springs_back_even_after_slow_frames(app, frame_seconds):
    effect = _overscrolled_effect(app)
    for _ in range(200):
        effect.update_velocity(frame_seconds)
        assert -500 < effect.value < 1000, f"scroll diverged to {effect.value:.0f} after {frame_seconds}s frames"
    assert effect.value == pytest.approx(222.0, abs=1.0)
    assert abs(effect.velocity) < 1.0


def test_a_tap_after_a_long_pause_still_reaches_the_button(app):
    import time

    app.root.get_screen("home").build_entries()
    app.go("rate")
    pump(3)
    rate = app.root.current_screen
    view = find(rate, lambda w: isinstance(w, ScrollView))[0]
    view.scroll_y = 0  # left there by a taller earlier state of the screen
    pump(3)
    button = next(w for w in rate.ids.levels.children if getattr(w, "level", 0) == 1)
    time.sleep(1.0)  # the next frame is a slow one (loaded machine)
    tap(button)
    pump(30)
    assert rate.level == 1
    assert -1.0 <= view.scroll_y <= 2.0, view.scroll_y
