"""Staff PIN: argon2 hash, demo PIN, growing delay persisted across restarts."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bianmin.local.staff_pin import DEMO_PIN, PinGuard, delay_after, hash_pin
from bianmin.store import LocalStore


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0)

    def __call__(self) -> datetime:
        return self.now


def test_hash_is_argon2_and_verifies(tmp_path):
    h = hash_pin("2468")
    assert h.startswith("$argon2") and "2468" not in h
    guard = PinGuard(LocalStore(tmp_path / "s.sqlite3"), h)
    assert guard.check("2468").ok
    assert not guard.check(DEMO_PIN).ok  # once a PIN is set the demo PIN is refused
    with pytest.raises(ValueError):
        hash_pin("12ab")


def test_demo_pin_when_no_hash(tmp_path):
    guard = PinGuard(LocalStore(tmp_path / "s.sqlite3"), "")
    assert guard.using_demo_pin and guard.check("1234").ok


def test_delay_grows_and_survives_restart(tmp_path):
    path = tmp_path / "s.sqlite3"
    clock = FakeClock()
    guard = PinGuard(LocalStore(path), hash_pin("2468"), clock=clock)
    assert [guard.check("0000").message_key for _ in range(2)] == ["staff.pin_wrong"] * 2
    third = guard.check("0000")
    assert third.message_key == "staff.pin_wait" and third.wait_seconds == delay_after(3) == 5
    # even the right PIN is refused while waiting, and a restart does not reset it
    guard2 = PinGuard(LocalStore(path), guard.pin_hash, clock=clock)
    refused = guard2.check("2468")
    assert not refused.ok and refused.message_key == "staff.pin_wait"
    clock.now += timedelta(seconds=6)
    assert guard2.check("1111").wait_seconds == 10  # the 4th failure waits twice as long
    clock.now += timedelta(seconds=11)
    assert guard2.check("2468").ok
    assert guard2.failures() == 0 and guard2.wait_remaining() == 0


def test_clock_set_back_cannot_lock_out_forever(tmp_path):
    clock = FakeClock()
    guard = PinGuard(LocalStore(tmp_path / "s.sqlite3"), "", clock=clock)
    for _ in range(3):
        guard.check("0000")
    clock.now -= timedelta(days=30)
    assert 0 < guard.wait_remaining() <= 300
