"""`bianmin demo`: the kiosk with demo data (the server joins when issue 6 lands)."""

from __future__ import annotations

import argparse
import os
import sys


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("demo", help="start the demo (kiosk; server when available)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        print(
            "没有显示器 / no display found.\n"
            "  On the terminal itself: run `make demo` from its desktop session.\n"
            "  On a server: `xvfb-run -s '-screen 0 1280x800x24' .venv/bin/bianmin kiosk --windowed`,\n"
            "  or see every screen as PNGs: `make screenshots` (writes docs/screenshots/).",
            file=sys.stderr,
        )
        return 1
    from kiosk.commands import run as run_kiosk

    args.windowed = True
    args.screenshot_tour = None
    return run_kiosk(args)
