"""`bianmin print-sample …` (built by the thermal-slip work; see issue 3)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    sub.add_parser("print-sample", help="print a sample slip (installer's test print)")
