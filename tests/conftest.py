"""Test-wide settings: a throw-away data directory, Kivy kept quiet and headless."""

from __future__ import annotations

import os
import tempfile

_home = tempfile.mkdtemp(prefix="bianmin-test-home-")
os.environ.setdefault("BIANMIN_HOME", _home)
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")


import pytest  # noqa: E402 - after the environment above is set


@pytest.fixture(autouse=True)
def _outbox_serializers():  # noqa: ANN202
    """Each test starts with exactly the real features' outbox serializers.

    Some tests register stand-ins (tests/sync/fake_records.py, test_faults, test_browser);
    in one process and random order a stand-in left behind broke later tests. The real
    features are imported first so the snapshot holds every serializer they register.
    """
    import bianmin.local.applications  # noqa: F401 - registers "application"
    import bianmin.local.feedback  # noqa: F401 - registers "rating" and "complaint"
    import bianmin.local.queue  # noqa: F401 - registers "ticket"
    from bianmin.local import outbox

    saved = dict(outbox._SERIALIZERS)
    yield
    outbox._SERIALIZERS.clear()
    outbox._SERIALIZERS.update(saved)
