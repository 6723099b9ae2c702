"""Sync tests reuse the server fixtures and add a live HTTP server and a kiosk store."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn

from bianmin.local import outbox
from bianmin.store import LocalStore
from tests.server.conftest import *  # noqa: F403 — db_url, server_app, client, sessions, village, kiosk
from tests.sync import fake_records


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn serving an app object in a thread (tests that need real HTTP)."""

    def __init__(self, app) -> None:  # noqa: ANN001
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("live server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(5)


@pytest.fixture
def live_server(server_app):  # noqa: ANN001, ANN201
    server = LiveServer(server_app).start()
    yield server
    server.stop()


@pytest.fixture
def serializers():  # noqa: ANN201
    """Register the fake application serializer for one test, restoring the registry after."""
    from server_client.commands import load_features

    load_features()  # the real serializers are registered first, so restoring brings them back
    saved = dict(outbox._SERIALIZERS)
    fake_records.register()
    yield
    outbox._SERIALIZERS.clear()
    outbox._SERIALIZERS.update(saved)


@pytest.fixture
def store(tmp_path, serializers) -> LocalStore:  # noqa: ANN001
    s = LocalStore(tmp_path / "kiosk.sqlite3")
    fake_records.install(s)
    yield s
    s.close()
