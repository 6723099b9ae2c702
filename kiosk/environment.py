"""Prepare Kivy's environment before Kivy is imported.

Kivy reads KIVY_HOME, its config and sys.argv at import time, so this must run
first. KIVY_HOME lives in our data directory: a stray ~/.kivy/config.ini on the
terminal can never change how the kiosk behaves.
"""

from __future__ import annotations

import os

from bianmin import paths

_prepared = False


def prepare(windowed: bool = False, headless: bool = False, size: tuple[int, int] = (1280, 800)) -> None:
    global _prepared
    if _prepared:
        return
    kivy_home = paths.data_dir() / "kivy"
    kivy_home.mkdir(parents=True, exist_ok=True)
    os.environ["KIVY_HOME"] = str(kivy_home)
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    if headless:
        os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
    from kivy.config import Config

    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "keyboard_mode", "system")  # our own on-screen keyboards, never Kivy's VKeyboard
    Config.set("kivy", "log_level", "warning")
    Config.set("input", "mouse", "mouse,disable_multitouch")
    Config.set("graphics", "width", str(size[0]))
    Config.set("graphics", "height", str(size[1]))
    Config.set("graphics", "resizable", "1" if windowed else "0")
    if windowed or headless:
        Config.set("graphics", "fullscreen", "0")
        Config.set("graphics", "borderless", "0")
    else:
        Config.set("graphics", "fullscreen", "auto")
        Config.set("graphics", "show_cursor", "0")
    _prepared = True
