from __future__ import annotations

import pytest

from bianmin.config import Config
from kiosk import environment

# Before any test module imports Kivy: Kivy reads KIVY_HOME and its config (window
# size 1280x800, offscreen) at import time, and test modules are imported at collection.
environment.prepare(headless=True)


@pytest.fixture(scope="session")
def kiosk_app(tmp_path_factory):
    """The real BianminApp, built once, windowed (so Esc/close behaviour is tested via kiosk_mode)."""
    from kiosk import environment

    environment.prepare(headless=True)
    from bianmin.store import LocalStore
    from kiosk.app import BianminApp

    store = LocalStore(tmp_path_factory.mktemp("kiosk") / "kiosk.sqlite3")
    app = BianminApp(config=Config(), store=store, windowed=False)
    app._run_prepare()  # build + window + on_start, without entering the main loop
    from kiosk.speech import Speaker

    # Speech is faked at the process boundary: tests never start espeak-ng.
    app.speaker = Speaker(runner=lambda argv: None, engine="espeak-ng")
    from tests.kiosk.harness import pump, wait_until

    pump(5)
    assert wait_until(lambda: app.catalogue_ready and app.screens_ready, timeout=60), "catalogue/screens not ready"
    yield app
    app.stop()


@pytest.fixture()
def app(kiosk_app):
    """Each test starts on Home with cleared inputs and default settings."""
    from tests.kiosk.harness import pump

    kiosk_app.lang = "zh_CN"
    kiosk_app.large_text = False
    kiosk_app.go_home(clear=True)
    kiosk_app.poke()
    pump(2)
    return kiosk_app
