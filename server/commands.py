"""`bianmin server …` (built by the server work; see issue 6)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    sub.add_parser("server", help="run the central server")
