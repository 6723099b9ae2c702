"""Idle hands memory back: the kiosk trims glibc's heap when it goes idle, never per tap."""

from __future__ import annotations

import pytest

from kiosk import memory

pytestmark = pytest.mark.ui


def test_release_unused_memory_trims_the_heap():
    blocks = [bytearray(64 * 1024) for _ in range(2000)]  # ~128 MB in small-ish blocks
    del blocks
    assert memory.release_unused_memory() is True  # glibc: malloc_trim exists and ran


def test_going_idle_and_attract_release_memory(app, monkeypatch):
    calls = []
    monkeypatch.setattr("kiosk.app.release_unused_memory", lambda: calls.append(app.root.current))
    app.go("notices")
    app._last_activity -= app.settings.kiosk.idle_timeout + 1
    assert app.check_idle() is True
    assert calls == ["home"]
    if app.settings.kiosk.attract_after and app.has_screen("attract"):
        app._last_activity -= app.settings.kiosk.attract_after + 1
        assert app.check_attract() is True
        assert calls == ["home", "attract"]
    before = list(calls)
    app.go("notices")  # an ordinary tap on Home does not trim
    app.go_home()
    assert calls == before
