"""`bianmin kiosk sync [--once]`: the kiosk's sync as a command, for operators and fault tests.

The same ``SyncWorker`` the kiosk app runs in its thread: ``--once`` does one round
(push, status, documents, health report) and prints what is pending and what is in
quarantine with its reason; without it the round repeats in the foreground, like
the app's thread, until Ctrl-C or SIGTERM. It opens the same local store as the app
(SQLite WAL: both may run at once).
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from bianmin.config import Config, ConfigError, load_config
from bianmin.local import outbox
from bianmin.store import LocalStore
from server_client.client import ServerClient
from server_client.worker import SyncState, SyncWorker

# The kiosk features whose records the outbox holds; importing them registers their serializers.
FEATURES = ("bianmin.local.applications", "bianmin.local.queue", "bianmin.local.feedback")


def load_features() -> None:
    import importlib

    for module in FEATURES:
        importlib.import_module(module)


def worker_from_config(config: Config, store: LocalStore, **kw: object) -> SyncWorker:
    """The worker the app and the command both run, built from the kiosk config."""
    load_features()
    client = ServerClient(config.server.url, config.server.device_token)
    return SyncWorker(store, client, interval=config.server.sync_interval, **kw)


def _print_state(state: SyncState, store: LocalStore) -> None:
    status = "ok" if not state.error_key else f"{state.error_key}: {state.error}"
    print(f"同步 / sync: {status}; 待上传 / pending {state.pending}; 隔离 / quarantined {state.quarantined}")
    for held in outbox.quarantined(store):
        print(f"  {held.kind} {held.uuid} ({held.since:%Y-%m-%d %H:%M}): {held.reason}")


def run(args: argparse.Namespace) -> int:
    try:
        config = load_config(getattr(args, "config", None))
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    if not (config.server.url and config.server.device_token):
        print("终端未登记，先运行 bianmin kiosk enrol / not enrolled: run `bianmin kiosk enrol` first",
              file=sys.stderr)
        return 2
    store = LocalStore(Path(args.store) if args.store else None)
    worker = worker_from_config(config, store)
    try:
        if args.once:
            ok = worker.sync_once()
            _print_state(worker.state, store)
            return 0 if ok else 1
        worker.listener = lambda state: None if state.syncing else _print_state(state, store)
        signal.signal(signal.SIGTERM, lambda *_: worker.stop(timeout=0))
        try:
            worker.run_forever()
        except KeyboardInterrupt:
            pass
        return 0
    finally:
        worker.client.close()
        store.close()


def register_action(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser("sync", help="sync with the central server now (--once) or in the foreground")
    parser.add_argument("--once", action="store_true", help="one round, print the result, exit 0 if it succeeded")
    parser.add_argument("--store", metavar="FILE", help="the kiosk database (default: the app's)")
    parser.set_defaults(handler=run)
