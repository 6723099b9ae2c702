"""`bianmin kiosk …`: run the kiosk, or its headless screenshot tour."""

from __future__ import annotations

import argparse
import os
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
    from server_client.commands import register_action as register_sync

    register_sync(kiosk_sub)
    set_pin = kiosk_sub.add_parser("set-pin", help="set the staff PIN (stored argon2-hashed in the config file)")
    set_pin.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input (scripts)")
    set_pin.set_defaults(handler=run_set_pin)


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
        from kiosk.runtime import KioskRuntime

        app = BianminApp(runtime=KioskRuntime(config), windowed=args.windowed)
        stop_on_sigterm(app)
        app.run()
    except FontMissing as exc:
        print(exc, file=sys.stderr)
        return 3
    return 0


def stop_on_sigterm(app) -> None:  # noqa: ANN001 - a BianminApp
    """`systemctl stop` sends SIGTERM: close cleanly (print queue and sync stopped).

    Without a Python handler SDL turns SIGTERM into a window-close request, which
    kiosk mode refuses, so the kiosk would linger until systemd's SIGKILL.
    """
    import signal

    def handler(_signum: int, _frame: object) -> None:
        from kivy.clock import Clock

        app.kiosk_mode = False
        Clock.schedule_once(lambda _dt: app.stop(), 0)

    signal.signal(signal.SIGTERM, handler)


def run_set_pin(args: argparse.Namespace) -> int:
    """Write ``[kiosk] staff_pin_hash`` into the config file, keeping everything else."""
    import getpass
    import tomllib

    import tomli_w

    from bianmin import paths
    from bianmin.local.staff_pin import hash_pin

    path = Path(args.config) if getattr(args, "config", None) else paths.config_file()
    if args.pin_stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = getpass.getpass("新的工作人员密码 / new staff PIN (4-8 digits): ")
        if getpass.getpass("再输入一次 / repeat: ") != pin:
            print("两次输入不一致 / the two entries differ", file=sys.stderr)
            return 2
    try:
        pin_hash = hash_pin(pin)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        print(f"配置文件不是合法的 TOML / {path} is not valid TOML: {exc}", file=sys.stderr)
        return 2
    raw.setdefault("kiosk", {})["staff_pin_hash"] = pin_hash
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(tomli_w.dumps(raw), encoding="utf-8")
    os.chmod(tmp, 0o600)  # the file may hold the device token (kiosk enrol): never world-readable
    tmp.replace(path)
    print(f"工作人员密码已保存 / staff PIN saved in {path}")
    return 0
