"""`systemctl stop bianmin-kiosk` (SIGTERM) closes the kiosk even in kiosk mode."""

from __future__ import annotations

import os
import signal

from tests.kiosk.harness import pump, wait_until


class FakeApp:
    def __init__(self) -> None:
        self.kiosk_mode = True
        self.stopped = 0

    def stop(self) -> None:
        self.stopped += 1


def test_sigterm_stops_the_app_cleanly():
    from kiosk.commands import stop_on_sigterm

    previous = signal.getsignal(signal.SIGTERM)
    app = FakeApp()
    try:
        stop_on_sigterm(app)
        os.kill(os.getpid(), signal.SIGTERM)
        assert wait_until(lambda: app.stopped == 1, timeout=5)
        pump(2)
        assert app.stopped == 1 and app.kiosk_mode is False
    finally:
        signal.signal(signal.SIGTERM, previous)
