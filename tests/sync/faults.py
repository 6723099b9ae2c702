"""Fault injection for sync tests: a server subprocess that can be restarted and an
HTTP proxy on 127.0.0.1 that drops, duplicates, delays and replays requests."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

from tests.sync.conftest import free_port

HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "accept-encoding"}


class ServerProcess:
    """`bianmin server` (uvicorn) in a subprocess, restartable on the same port and database."""

    def __init__(self, db_url: str, home: str, workers: int = 1) -> None:
        self.db_url, self.home, self.workers = db_url, home, workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> None:
        env = {**os.environ, "BIANMIN_HOME": self.home, "BIANMIN_STATUS_SETTLE_SECONDS": "0"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bianmin", "server", "--db", self.db_url, "--port", str(self.port),
             "--workers", str(self.workers)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited: " + self.proc.stderr.read().decode(errors="replace")[-2000:])
            try:
                if requests.get(self.url + "/healthz", timeout=0.5).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


class FaultyProxy:
    """Forward HTTP to ``upstream``, misbehaving at random (seeded, so failures reproduce)."""

    def __init__(self, upstream: str, seed: int = 1, drop_before: float = 0.1, drop_after: float = 0.1,
                 duplicate: float = 0.1, replay_late: float = 0.1, max_delay: float = 0.05,
                 hold_after_push: float = 0.0, crash_on: set[str] | None = None,
                 refuse: set[str] | None = None) -> None:
        self.upstream = upstream
        # Per-record server errors: a push holding a UUID in ``crash_on`` is answered 500 (a
        # server that breaks on that record); a UUID in ``refuse`` is taken out of the batch
        # and answered "rejected" with a reason (a server that refuses it, storing nothing).
        self.crash_on = crash_on or set()
        self.refuse = refuse or set()
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.p = dict(drop_before=drop_before, drop_after=drop_after, duplicate=duplicate, replay_late=replay_late)
        self.max_delay = max_delay
        self.hold_after_push = hold_after_push
        self.stats = {"requests": 0, "dropped_before": 0, "dropped_after": 0, "duplicated": 0, "replayed": 0,
                      "upstream_down": 0, "pushes_forwarded": 0, "crashed": 0, "refused": 0}
        self.background: list[threading.Thread] = []
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                proxy.handle(self)

            do_POST = do_GET  # noqa: N815

        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> FaultyProxy:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        for t in self.background:
            t.join(10)

    def _roll(self) -> tuple[str, float]:
        with self.lock:
            self.stats["requests"] += 1
            r = self.rng.random()
            delay = self.rng.uniform(0, self.max_delay)
        acc = 0.0
        for name, p in self.p.items():
            acc += p
            if r < acc:
                return name, delay
        return "ok", delay

    def _count(self, key: str) -> None:
        with self.lock:
            self.stats[key] += 1

    def _forward(self, method: str, path: str, headers: dict, body: bytes) -> requests.Response | None:
        try:
            return requests.request(method, self.upstream + path, headers=headers, data=body, timeout=(2, 20))
        except requests.RequestException:
            self._count("upstream_down")
            return None

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        headers = {k: v for k, v in h.headers.items() if k.lower() not in HOP_HEADERS}
        if h.path.endswith("/sync/push") and (self.crash_on or self.refuse):
            injected = self._inject(h, headers, body)
            if injected is not None:
                body, refused_at = injected
            else:
                return
        else:
            refused_at = {}
        fault, delay = self._roll()
        time.sleep(delay)
        if fault == "drop_before":
            self._count("dropped_before")
            h.close_connection = True
            return
        if fault == "duplicate":  # the same request twice at once: concurrent duplicates
            self._count("duplicated")
            twin = threading.Thread(target=self._forward, args=(h.command, h.path, headers, body))
            twin.start()
            self.background.append(twin)
        response = self._forward(h.command, h.path, headers, body)
        if h.path.endswith("/sync/push") and response is not None:
            self._count("pushes_forwarded")
            if self.hold_after_push:
                time.sleep(self.hold_after_push)
        if fault == "replay_late":  # a stale copy arrives after newer requests: reordering
            self._count("replayed")

            def late() -> None:
                time.sleep(self.rng.uniform(0.2, 1.0))
                self._forward(h.command, h.path, headers, body)

            t = threading.Thread(target=late)
            t.start()
            self.background.append(t)
        if fault == "drop_after" or response is None:
            if fault == "drop_after":
                self._count("dropped_after")  # the server did the work; the kiosk never hears
            h.close_connection = True
            if response is None:
                h.send_response(502)
                h.send_header("Content-Length", "0")
                h.end_headers()
            return
        content = response.content
        if refused_at and response.status_code == 200:
            results = response.json()["results"]
            for i in sorted(refused_at):
                results.insert(i, refused_at[i])
            content = json.dumps({"results": results}).encode()
        h.send_response(response.status_code)
        for key, value in response.headers.items():
            if key.lower() not in HOP_HEADERS and key.lower() != "content-length":
                h.send_header(key, value)
        h.send_header("Content-Length", str(len(content)))
        h.end_headers()
        h.wfile.write(content)

    def _inject(self, h: BaseHTTPRequestHandler, headers: dict, body: bytes) -> tuple[bytes, dict] | None:
        """Apply crash_on / refuse to a push; None when the reply (500) was already sent."""
        records = json.loads(body)["records"]
        if any(r.get("uuid") in self.crash_on for r in records):
            self._count("crashed")
            _reply_json(h, 500, {"detail": "Internal Server Error", "errors": []})
            return None
        refused_at = {i: {"uuid": r["uuid"], "kind": r["kind"], "result": "rejected",
                          "error": "injected: the server refuses this record"}
                      for i, r in enumerate(records) if r.get("uuid") in self.refuse}
        if refused_at:
            self._count("refused")
            kept = [r for i, r in enumerate(records) if i not in refused_at]
            if not kept:  # nothing left to forward: answer for the server
                _reply_json(h, 200, {"results": [refused_at[i] for i in sorted(refused_at)]})
                return None
            body = json.dumps({"records": kept}).encode()
        return body, refused_at


def _reply_json(h: BaseHTTPRequestHandler, status: int, body: dict) -> None:
    payload = json.dumps(body).encode()
    h.send_response(status)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", str(len(payload)))
    h.end_headers()
    h.wfile.write(payload)
