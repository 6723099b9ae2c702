"""The staff PIN pad: `app.go('staff_pin', next='staff_queue')` opens a staff session.

The PIN is checked by ``PinGuard`` (argon2, growing delay after wrong tries,
persisted) in the queue worker, because argon2 is deliberately slow. The digits
are shown as dots and forgotten on idle. After a correct PIN the pad replaces
itself with ``next`` in the history, so Back from a staff screen never lands here.
"""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from bianmin.local.staff_pin import PinResult
from kiosk.screens.base import KioskScreen, load_kv
from kiosk.staff import begin_session, pin_guard

load_kv(__file__)

MAX_DIGITS = 8


class StaffPinScreen(KioskScreen):
    pin = StringProperty("")
    message = StringProperty("")
    checking = BooleanProperty(False)
    wait_seconds = NumericProperty(0)
    demo_warning = StringProperty("")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.next_screen = "staff_home"
        self._countdown = None

    def set_params(self, next: str = "staff_home", **_params: object) -> None:  # noqa: A002 - app.go(next=…)
        self.next_screen = next or "staff_home"
        self.pin = ""
        self.message = ""

    def on_pre_enter(self, *args: object) -> None:
        super().on_pre_enter(*args)
        guard = pin_guard(self.app)
        self.demo_warning = self.app.tr("staff.demo_pin_warning") if guard.using_demo_pin else ""
        self._start_countdown(guard.wait_remaining())

    def on_leave(self, *_args: object) -> None:
        self.pin = ""

    def clear_inputs(self) -> None:
        self.pin = ""
        self.message = ""

    # ----- the pad ------------------------------------------------------------------
    def press(self, digit: str) -> None:
        if len(self.pin) < MAX_DIGITS and not self.checking:
            self.pin += digit

    def delete(self) -> None:
        self.pin = self.pin[:-1]

    def submit(self) -> None:
        if self.checking or self.wait_seconds > 0 or not self.pin:
            return
        self.checking = True
        pin, guard = self.pin, pin_guard(self.app)
        self.pin = ""
        self.app.runtime.run(lambda: guard.check(pin), self._checked, self._failed)

    def _checked(self, result: PinResult) -> None:
        self.checking = False
        if result.ok:
            self.message = ""
            begin_session(self.app)
            self.app.go(self.next_screen, remember=False)
            return
        self.message = self.app.tr(result.message_key)
        self._start_countdown(result.wait_seconds)

    def _failed(self, _exc: BaseException) -> None:
        self.checking = False
        self.message = self.app.tr("staff.pin_error")

    def _start_countdown(self, seconds: int) -> None:
        self.wait_seconds = seconds
        if self._countdown is not None:
            self._countdown.cancel()
            self._countdown = None
        if seconds > 0:
            self._countdown = Clock.schedule_interval(self._tick, 1.0)

    def _tick(self, _dt: float) -> bool:
        self.wait_seconds = pin_guard(self.app).wait_remaining()
        if self.wait_seconds <= 0:
            self._countdown = None
            return False
        return True
