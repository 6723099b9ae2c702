"""Test-wide settings: a throw-away data directory, Kivy kept quiet and headless."""

from __future__ import annotations

import os
import tempfile

_home = tempfile.mkdtemp(prefix="bianmin-test-home-")
os.environ.setdefault("BIANMIN_HOME", _home)
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
