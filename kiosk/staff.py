"""Staff mode on the kiosk: a PIN opens a session that ends on Home or idle.

Staff screens derive from ``StaffScreen``: entering one without a session sends
the user to the PIN pad, which comes back to that screen after a correct PIN
(``app.go('staff_pin', next='staff_queue')``). The session is a flag on the app,
cleared whenever Home is shown (the Home button, the idle timeout) — so a
villager who walks up after the staff member left never finds the staff panel.
"""

from __future__ import annotations

from kivy.clock import Clock

from bianmin.local.staff_pin import PinGuard
from kiosk.screens.base import KioskScreen


def pin_guard(app) -> PinGuard:  # noqa: ANN001
    """The app's PinGuard (``app.runtime.pin_guard``; tests may replace ``app.pin_guard``)."""
    return app.pin_guard


def session_active(app) -> bool:  # noqa: ANN001
    return app.staff_session


def begin_session(app) -> None:  # noqa: ANN001
    """Open staff mode; the app ends it whenever Home is shown."""
    app.staff_session = True


def end_session(app) -> None:  # noqa: ANN001
    app.staff_session = False


class StaffScreen(KioskScreen):
    """A screen only staff may see; without a session it hands over to the PIN pad."""

    def set_params(self, **params: object) -> None:
        self.set_staff_params(**params)

    def set_staff_params(self, **params: object) -> None:
        """Navigation parameters for the staff screen (override)."""

    def on_pre_enter(self, *args: object) -> None:
        super().on_pre_enter(*args)
        if not session_active(self.app):
            self.opacity = 0  # nothing of the panel flashes up before the PIN pad
            Clock.schedule_once(lambda _dt: self.app.go("staff_pin", remember=False, next=self.name), 0)
            return
        self.opacity = 1
        self.refresh()

    def refresh(self) -> None:
        """Load what the screen shows (override; called on every entry)."""

    def clear_inputs(self) -> None:
        end_session(self.app)
