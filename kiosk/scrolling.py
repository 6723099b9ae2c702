"""The scroll effect every kiosk ScrollView uses (set in widgets.kv).

Kivy's ``DampedScrollEffect`` advances its friction and overscroll spring by the
frame time without a bound, so a single frame longer than ~0.7 s (a loaded
machine, a garbage collection, a slow load) makes the explicit integration
diverge: the content flies thousands of pixels away and taps hit nothing. A
tap on a list shorter than its view already overscrolls (``scroll_y`` left at 0
by an earlier, longer state), so this happened in ordinary use.
"""

from __future__ import annotations

from kivy.effects.dampedscroll import DampedScrollEffect
from kivy.factory import Factory


class StableScrollEffect(DampedScrollEffect):
    """Damped scrolling that advances at most two standard frames per update."""

    MAX_STEPS = 2.0

    def update_velocity(self, dt: float) -> None:
        super().update_velocity(min(dt, self.std_dt * self.MAX_STEPS))


Factory.register("StableScrollEffect", cls=StableScrollEffect)
