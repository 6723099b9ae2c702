"""Fixtures for the printer tests: a fake network printer and a throw-away local store."""

from __future__ import annotations

import pytest

from bianmin.store import LocalStore
from tests.printer.fakeprinter import FakePrinter


@pytest.fixture
def fake_printer():
    printer = FakePrinter()
    yield printer
    printer.close()


@pytest.fixture
def store(tmp_path):
    s = LocalStore(tmp_path / "kiosk.sqlite3")
    yield s
    s.close()
