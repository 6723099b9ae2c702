"""The staff PIN: argon2-hashed in the config, guessed only slowly.

The kiosk stands in a public room, so a 4-digit PIN must not be brute-forced by
tapping: after a few wrong tries each further try must wait, and the wait grows.
The failure count and the lock-out end are kept in the LocalStore, so pulling
the plug does not reset them. A clock set backwards cannot lengthen the lock-out
beyond the longest delay (the remaining wait is capped at that).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from bianmin.store import LocalStore

log = logging.getLogger(__name__)

DEMO_PIN = "1234"
FREE_TRIES = 3  # wrong tries allowed before a delay starts
BASE_DELAY = 5.0  # seconds after the first delayed failure; doubles each time
MAX_DELAY = 300.0
PIN_PATTERN = re.compile(r"^\d{4,8}$")
_FAILURES = "staff_pin.failures"
_LOCKED_UNTIL = "staff_pin.locked_until"

_hasher = PasswordHasher()


def hash_pin(pin: str) -> str:
    """The argon2 hash written to ``[kiosk] staff_pin_hash``; raises ValueError on a bad PIN."""
    if not PIN_PATTERN.match(pin):
        raise ValueError("PIN 应为 4 到 8 位数字 / the PIN must be 4 to 8 digits")
    return _hasher.hash(pin)


def delay_after(failures: int) -> float:
    """Seconds to wait after `failures` consecutive wrong PINs."""
    if failures < FREE_TRIES:
        return 0.0
    return min(MAX_DELAY, BASE_DELAY * 2 ** (failures - FREE_TRIES))


@dataclass(frozen=True)
class PinResult:
    ok: bool
    message_key: str = ""  # staff.pin_wrong / staff.pin_wait
    wait_seconds: int = 0  # how long until the next try is accepted


class PinGuard:
    def __init__(self, store: LocalStore, pin_hash: str, clock: Callable[[], datetime] = datetime.now) -> None:
        self.store = store
        self.pin_hash = pin_hash
        self.clock = clock
        if not pin_hash:
            log.warning("no staff PIN set: the demo PIN is in use; set one with `bianmin kiosk set-pin`")

    @property
    def using_demo_pin(self) -> bool:
        return not self.pin_hash

    def failures(self) -> int:
        return int(self.store.get_setting(_FAILURES, "0") or 0)

    def wait_remaining(self) -> int:
        """Whole seconds until a try is accepted (0 = now)."""
        raw = self.store.get_setting(_LOCKED_UNTIL, "")
        if not raw:
            return 0
        remaining = (datetime.fromisoformat(raw) - self.clock()).total_seconds()
        return int(-(-min(remaining, MAX_DELAY) // 1)) if remaining > 0 else 0

    def check(self, pin: str) -> PinResult:
        """Verify a PIN (slow on purpose: argon2); call it off the UI thread."""
        wait = self.wait_remaining()
        if wait > 0:
            return PinResult(False, "staff.pin_wait", wait)
        if self._matches(pin):
            self.store.set_setting(_FAILURES, "0")
            self.store.set_setting(_LOCKED_UNTIL, "")
            return PinResult(True)
        failures = self.failures() + 1
        self.store.set_setting(_FAILURES, str(failures))
        delay = delay_after(failures)
        if delay:
            until = self.clock() + timedelta(seconds=delay)
            self.store.set_setting(_LOCKED_UNTIL, until.isoformat())
            return PinResult(False, "staff.pin_wait", int(delay))
        return PinResult(False, "staff.pin_wrong")

    def _matches(self, pin: str) -> bool:
        if not self.pin_hash:
            return pin == DEMO_PIN
        try:
            return _hasher.verify(self.pin_hash, pin)
        except VerifyMismatchError:
            return False
        except (InvalidHashError, VerificationError):
            log.error("[kiosk] staff_pin_hash is not a valid argon2 hash; no PIN is accepted")
            return False
