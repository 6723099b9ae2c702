"""The `bianmin` command.

Each feature registers its own subcommands (``register(subparsers)`` in the
module listed in COMMAND_MODULES) so features never edit one another's code.
Modules are imported only for the command that runs: `bianmin catalog validate`
never loads Kivy or FastAPI.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# (subcommand, module that defines register(subparsers) and handles it)
COMMAND_MODULES: list[tuple[str, str]] = [
    ("kiosk", "kiosk.commands"),
    ("catalog", "bianmin.catalogue_commands"),
    ("print-sample", "printer.commands"),
    ("server", "server.commands"),
    ("demo", "bianmin.demo"),
]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bianmin", description="便民 — village convenience-service room software")
    parser.add_argument("--config", help="kiosk config file (TOML); default: $BIANMIN_HOME/bianmin.toml")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in COMMAND_MODULES:
        if only is not None and name != only:
            sub.add_parser(name, help=f"(see bianmin {name} --help)")
            continue
        importlib.import_module(module).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    known = {name for name, _ in COMMAND_MODULES}
    parser = build_parser(command if command in known else None)
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
