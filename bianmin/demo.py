"""`bianmin demo`: the central server with demo data, and the kiosk connected to it.

1. migrates and seeds the server database (SQLite in the data directory): a demo
   county with townships, villages, agents, a duty roster and an enrolment code;
2. starts `bianmin server` in a subprocess and waits until it answers;
3. enrols the demo kiosk with that code (writes [server] into the kiosk config)
   unless it is already enrolled with a working token;
4. prints the console URL and the demo passwords, then runs the kiosk. Without a
   display the server keeps running and it says how to see the kiosk.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bianmin import paths


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("demo", help="start the demo: central server with demo data and the kiosk")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    parser.set_defaults(handler=run)


def _has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _wait_for(url: str, proc: subprocess.Popen, timeout: float = 30.0) -> bool:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            if requests.get(url + "/healthz", timeout=1).status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.2)
    return False


def _seed(db_url: str):  # noqa: ANN202
    from server import migrate
    from server.db import make_engine, make_sessionmaker, write_session
    from server.seed import seed_demo, shipped_catalogue

    migrate.upgrade(db_url)
    engine = make_engine(db_url)
    try:
        with write_session(make_sessionmaker(engine)) as session:
            return seed_demo(session, catalogue=shipped_catalogue())
    finally:
        engine.dispose()


def _enrolled(config_path: Path, base: str) -> bool:
    """True when the kiosk config already holds a token this server accepts."""
    from bianmin.config import ConfigError, load_config
    from server_client.client import ServerClient, SyncError

    try:
        cfg = load_config(config_path)
    except ConfigError:
        return False
    if cfg.server.url.rstrip("/") != base or not cfg.server.device_token:
        return False
    client = ServerClient(base, cfg.server.device_token, timeout=(2, 5))
    try:
        client.whoami()
        return True
    except SyncError:
        return False
    finally:
        client.close()


def run(args: argparse.Namespace) -> int:
    from server.core.config import Settings

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so `finally` stops the server
    base = f"http://{args.host}:{args.port}"
    settings = Settings.from_env(public_base_url=base)
    print(f"数据目录 / data directory: {paths.data_dir()}", flush=True)
    report = _seed(settings.db_url)
    env = {**os.environ, **settings.to_env()}
    server = subprocess.Popen(
        [sys.executable, "-m", "bianmin", "server", "--host", args.host, "--port", str(args.port)], env=env
    )
    try:
        if not _wait_for(base, server):
            print(f"服务器没有启动 / the server did not start on {base} (port in use? try --port 8001)",
                  file=sys.stderr)
            return 1
        config_path = Path(args.config) if getattr(args, "config", None) else paths.config_file()
        if not _enrolled(config_path, base):
            from server_client.enrol import enrol

            reply = enrol(base, report.enrolment_code, config_path, name="demo-kiosk")
            print(f"演示终端已登记 / demo kiosk enrolled for {reply['village_name']} (device {reply['device_id']})")
            report.lines = [line for line in report.lines if report.enrolment_code not in line]
        print()
        print(f"  服务器 / server:          {base}  (API docs {base}/docs)")
        print(f"  管理后台 / agent console: {base}/console/")
        print(f"  进度查询 / tracking:      {base}/t/<token> (scan a slip's QR code)")
        for line in report.lines:
            print(f"  {line}")
        print(flush=True)
        if not _has_display():
            print(
                "没有显示器 / no display found — the server keeps running (Ctrl-C stops it).\n"
                "  To see the kiosk: run `make demo` from the terminal's desktop session,\n"
                "  or `xvfb-run -s '-screen 0 1280x800x24' .venv/bin/bianmin kiosk --windowed` in another shell,\n"
                "  or every screen as PNGs: `make screenshots` (writes build/screenshots/).",
                flush=True,
            )
            return server.wait()
        from kiosk.commands import run as run_kiosk

        args.windowed = True
        args.screenshot_tour = None
        args.large_text = False
        return run_kiosk(args)
    except KeyboardInterrupt:
        return 130
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
