"""`bianmin kiosk …`: run the kiosk, or its headless screenshot tour."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bianmin.config import ConfigError, load_config


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("kiosk", help="run the touchscreen kiosk")
    parser.add_argument("--windowed", action="store_true", help="development: a window, cursor shown, Esc/close allowed")
    parser.add_argument("--screenshot-tour", metavar="DIR", help="visit every screen in both languages headless, write PNGs, exit")
    parser.add_argument("--large-text", action="store_true", help="with --screenshot-tour: also/only large-text mode")
    parser.set_defaults(handler=run)
    kiosk_sub = parser.add_subparsers(dest="kiosk_command", metavar="ACTION")
    from server_client.enrol import register_action as register_enrol

    register_enrol(kiosk_sub)


def _load(args: argparse.Namespace):  # noqa: ANN202
    try:
        return load_config(getattr(args, "config", None))
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return None


def run(args: argparse.Namespace) -> int:
    config = _load(args)
    if config is None:
        return 2
    from kiosk import environment

    if args.screenshot_tour:
        environment.prepare(headless=True)
        from kiosk.tour import run_tour

        return run_tour(config, Path(args.screenshot_tour))
    environment.prepare(windowed=args.windowed)
    from bianmin.fonts import FontMissing

    try:
        from kiosk.app import BianminApp

        BianminApp(config=config, windowed=args.windowed).run()
    except FontMissing as exc:
        print(exc, file=sys.stderr)
        return 3
    return 0
