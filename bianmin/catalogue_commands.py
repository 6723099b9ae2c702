"""`bianmin catalog …` (built by the catalogue work; see issue 2)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    sub.add_parser("catalog", help="validate, search, export and import the service catalogue")
