"""Where Bianmin keeps its files.

The data directory holds the kiosk config, the local SQLite store, the extracted
font, Kivy's own settings (KIVY_HOME) and print previews. It is `$BIANMIN_HOME` if
set, else `$XDG_DATA_HOME/bianmin` (usually `~/.local/share/bianmin`), so a stray
`~/.kivy` never changes how the kiosk behaves.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ASSETS = REPO_ROOT / "assets"
CATALOGUE_FILE = ASSETS / "catalogue" / "catalogue.yaml"
TRANSLATIONS = ASSETS / "translations"


def data_dir() -> Path:
    """Return (and create) the data directory."""
    base = os.environ.get("BIANMIN_HOME")
    if base:
        path = Path(base)
    else:
        xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        path = Path(xdg) / "bianmin"
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_file() -> Path:
    return Path(os.environ.get("BIANMIN_CONFIG") or data_dir() / "bianmin.toml")


def cache_dir() -> Path:
    """Derived files that can be rebuilt (the extracted font): shared across data dirs."""
    base = os.environ.get("BIANMIN_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    path = Path(base) / "bianmin" if not os.environ.get("BIANMIN_CACHE") else Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path
