"""The kiosk runtime's one background executor: order, threads, errors, and the tests' manual mode."""

from __future__ import annotations

import threading
import time

from kivy.clock import Clock

from kiosk.runtime import BackgroundExecutor


def _tick_until(predicate, seconds: float = 5.0) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        Clock.tick()
        if predicate():
            return True
    return predicate()


def test_jobs_run_off_the_ui_thread_in_order_and_report_on_the_clock():
    executor = BackgroundExecutor()
    ran_on, results, delivered_on = [], [], []

    def job(n: int):  # noqa: ANN202
        ran_on.append(threading.current_thread())
        return n

    def done(n: int) -> None:
        results.append(n)
        delivered_on.append(threading.current_thread())

    try:
        for n in range(5):
            executor.run(lambda n=n: job(n), done)
        assert _tick_until(lambda: len(results) == 5)
    finally:
        executor.stop()
    assert results == [0, 1, 2, 3, 4]
    assert all(t is not threading.main_thread() for t in ran_on)
    assert all(t is threading.main_thread() for t in delivered_on)


def test_an_error_reaches_on_error_and_the_worker_keeps_going():
    executor = BackgroundExecutor()
    errors, results = [], []

    def boom() -> None:
        raise OSError("disk gone")

    try:
        executor.run(boom, results.append, errors.append)
        executor.run(lambda: "next", results.append)
        assert _tick_until(lambda: results == ["next"])
    finally:
        executor.stop()
    assert [str(e) for e in errors] == ["disk gone"]


def test_manual_mode_runs_nothing_until_drained():
    executor = BackgroundExecutor(manual=True)
    results = []
    executor.run(lambda: 42, results.append)
    for _ in range(3):
        Clock.tick()
    assert results == [] and executor.pending == 1
    assert executor.drain() == 1
    assert _tick_until(lambda: results == [42], seconds=1.0)
    assert executor.pending == 0


def test_a_stopped_executor_drops_new_jobs():
    executor = BackgroundExecutor(manual=True)
    executor.stop()
    executor.run(lambda: 1)
    assert executor.pending == 0
