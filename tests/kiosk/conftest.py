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
    from kiosk.runtime import BackgroundExecutor, KioskRuntime
    from kiosk.speech import Speaker

    store = LocalStore(tmp_path_factory.mktemp("kiosk") / "kiosk.sqlite3")
    # Background work runs only when the harness drains it (harness.pump): deterministic.
    # Speech is faked at the process boundary: tests never start espeak-ng.
    runtime = KioskRuntime(Config(), store, executor=BackgroundExecutor(manual=True),
                           speaker=Speaker(runner=lambda argv: None, engine="espeak-ng"))
    app = BianminApp(runtime=runtime, windowed=False)
    app._run_prepare()  # build + window + on_start, without entering the main loop
    from tests.kiosk.harness import pump, wait_until

    pump(5)
    assert wait_until(lambda: app.catalogue_ready and app.screens_ready, timeout=60), "catalogue/screens not ready"
    from tests.kiosk.harness import baseline

    app.start_state = baseline(app)
    yield app
    app.stop()


@pytest.fixture()
def app(kiosk_app):
    """Each test starts on Home with cleared inputs and default settings."""
    from tests.kiosk.harness import pump, restore

    restore(kiosk_app, kiosk_app.start_state)
    pump(2)
    return kiosk_app
