"""Sync throughput and latency against a real `bianmin server --workers 2`.

- Batch ingest: kiosks (one per village, pushing concurrently) upload batches of
  200 application records; records/s over the whole run. SQLite and PostgreSQL.
  Goal: ≥ 2,000 records/s on PostgreSQL with two workers.
- Status pull: an open-loop load of 300 requests/s (what 20,000 kiosks polling once
  a minute send) for a bounded time, spread over many enrolled kiosks; latency
  percentiles measured from each request's scheduled start (so a stalled server
  cannot hide queueing). Goal: p99 ≤ 100 ms.

PostgreSQL: set BIANMIN_BENCH_POSTGRES_URL (or BIANMIN_TEST_POSTGRES_URL); a scratch
database is created and dropped. Run: `python -m bench.bench_sync [--quick]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.report import percentile, write_section
from server import migrate
from server.db import make_engine, make_sessionmaker, write_session
from server.models import County, Township, Village
from server.services.devices import create_enrolment_code
from tests.server.helpers import application_record
from tests.sync.faults import ServerProcess


def seed(db_url: str, villages: int) -> list[str]:
    """Villages for the bench; returns one enrolment code per village."""
    engine = make_engine(db_url)
    codes = []
    with write_session(make_sessionmaker(engine)) as session:
        county = County(code="990000", name="基准旗")
        township = Township(county=county, code="990000100", name="基准苏木")
        session.add_all([county, township])
        for i in range(villages):
            village = Village(township=township, code=f"990000100{i:03d}", name=f"基准村{i}")
            session.add(village)
            session.flush()
            codes.append(create_enrolment_code(session, village).code)
    engine.dispose()
    return codes


def enrol_all(url: str, codes: list[str]) -> list[tuple[str, str]]:
    out = []
    for i, code in enumerate(codes):
        r = requests.post(url + "/api/v1/enrol", json={"code": code}, timeout=10)
        r.raise_for_status()
        out.append((r.json()["token"], f"990000100{i:03d}"))
    return out


def bench_ingest(url: str, kiosks: list[tuple[str, str]], batches_per_kiosk: int, batch: int = 200) -> dict:
    payloads = {
        token: [json.dumps({"records": [application_record(village) for _ in range(batch)]})
                for _ in range(batches_per_kiosk)]
        for token, village in kiosks
    }

    def run(token: str) -> int:
        s = requests.Session()
        s.headers.update({"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        n = 0
        for body in payloads[token]:
            r = s.post(url + "/api/v1/sync/push", data=body, timeout=60)
            r.raise_for_status()
            n += sum(1 for x in r.json()["results"] if x["result"] == "created")
        return n

    start = time.perf_counter()
    with ThreadPoolExecutor(len(kiosks)) as pool:
        created = sum(pool.map(run, [t for t, _ in kiosks]))
    elapsed = time.perf_counter() - start
    return {"records": created, "seconds": elapsed, "rate": created / elapsed}


async def _status_load(port: int, tokens: list[str], rate: float, duration: float) -> dict:
    """Open-loop GETs at `rate`/s over keep-alive connections (one per kiosk token)."""
    conns: asyncio.Queue = asyncio.Queue()
    for token in tokens:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        req = (f"GET /api/v1/sync/status HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
               "Connection: keep-alive\r\n\r\n").encode()
        conns.put_nowait((reader, writer, req))
    latencies: list[float] = []
    errors = 0
    late_starts = 0

    async def one(scheduled: float) -> None:
        nonlocal errors, late_starts
        conn = await conns.get()
        reader, writer, req = conn
        try:
            writer.write(req)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            if status != 200:
                errors += 1
            latencies.append(time.perf_counter() - scheduled)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            errors += 1
        finally:
            conns.put_nowait(conn)

    tasks = []
    start = time.perf_counter()
    total = int(rate * duration)
    for i in range(total):
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        elif delay < -0.01:
            late_starts += 1
        tasks.append(asyncio.create_task(one(scheduled)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    while not conns.empty():
        _, writer, _ = conns.get_nowait()
        writer.close()
    ms = [x * 1000 for x in latencies]
    return {"requests": total, "achieved": total / elapsed, "errors": errors, "late_starts": late_starts,
            "p50": percentile(ms, 50), "p95": percentile(ms, 95), "p99": percentile(ms, 99), "max": max(ms)}


def run_backend(name: str, db_url: str, home: str, args: argparse.Namespace) -> dict:
    migrate.upgrade(db_url)
    villages = args.kiosks
    codes = seed(db_url, villages + args.pollers)
    server = ServerProcess(db_url, home, workers=2)
    server.start(timeout=60)
    try:
        kiosks = enrol_all(server.url, codes)
        pushers, pollers = kiosks[:villages], kiosks[villages:]
        bench_ingest(server.url, pushers[:1], 1)  # warm-up: imports, connection pools
        ingest = bench_ingest(server.url, pushers, args.batches)
        # Give every poller's village a few events so a pull does real work.
        bench_ingest(server.url, pollers, 1, batch=5)
        status = asyncio.run(_status_load(server.port, [t for t, _ in pollers], args.rate, args.duration))
    finally:
        server.stop()
    return {"backend": name, "ingest": ingest, "status": status}


def postgres_scratch() -> tuple[str, callable] | None:
    base = os.environ.get("BIANMIN_BENCH_POSTGRES_URL") or os.environ.get("BIANMIN_TEST_POSTGRES_URL")
    if not base:
        return None
    name = f"bianmin_bench_{secrets.token_hex(4)}"
    admin = create_engine(make_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(base).set(database=name).render_as_string(hide_password=False), drop


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller run (smoke test)")
    parser.add_argument("--kiosks", type=int, default=4, help="concurrent pushing kiosks")
    parser.add_argument("--batches", type=int, default=25, help="batches of 200 per pushing kiosk")
    parser.add_argument("--pollers", type=int, default=60, help="kiosks whose tokens the status load uses")
    parser.add_argument("--rate", type=float, default=300.0)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.batches, args.duration, args.pollers = 3, 3.0, 10
    os.environ["BIANMIN_ENROL_ATTEMPTS_PER_10MIN"] = "1000000"  # the bench enrols many kiosks from one IP
    results = []
    with tempfile.TemporaryDirectory(prefix="bianmin-bench-") as tmp:
        results.append(run_backend("SQLite", f"sqlite:///{Path(tmp) / 'server.sqlite3'}", tmp, args))
        pg = postgres_scratch()
        if pg is None:
            print("PostgreSQL skipped: set BIANMIN_BENCH_POSTGRES_URL", file=sys.stderr)
        else:
            url, drop = pg
            try:
                results.append(run_backend("PostgreSQL 15", url, tmp, args))
            finally:
                drop()
    for r in results:
        print(json.dumps(r, indent=1))
    if not args.no_write:
        write_section("sync", "Sync: batch ingest and status pull", report(results, args))
    return 0


def report(results: list[dict], args: argparse.Namespace) -> str:
    lines = [
        f"`bianmin server --workers 2` (uvicorn) on this machine; the load generator runs on the same 2 cores. "
        f"Ingest: {args.kiosks} kiosks push concurrently, {args.batches} batches of 200 new application "
        f"records each. Status pull: open-loop {args.rate:.0f} requests/s for {args.duration:.0f} s over "
        f"{args.pollers} enrolled kiosks' keep-alive connections; latency counted from each request's "
        "scheduled start. Load average when the report was written: "
        f"{os.getloadavg()[0]:.1f} (other work shares the machine).",
        "",
        "| backend | ingest records | ingest records/s | status req/s achieved | p50 ms | p95 ms | p99 ms | max ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        i, s = r["ingest"], r["status"]
        lines.append(f"| {r['backend']} | {i['records']} | {i['rate']:.0f} | {s['achieved']:.0f} | {s['p50']:.1f} | "
                     f"{s['p95']:.1f} | {s['p99']:.1f} | {s['max']:.1f} | {s['errors']} |")
    pg = next((r for r in results if r["backend"].startswith("PostgreSQL")), None)
    lines.append("")
    if pg:
        ok_ingest = pg["ingest"]["rate"] >= 2000
        ok_p99 = pg["status"]["p99"] <= 100
        lines.append(f"Goals (PostgreSQL): ingest ≥ 2,000 records/s — {'met' if ok_ingest else 'NOT met'} "
                     f"({pg['ingest']['rate']:.0f}); status p99 ≤ 100 ms at 300 req/s — "
                     f"{'met' if ok_p99 else 'NOT met'} ({pg['status']['p99']:.1f} ms).")
    else:
        lines.append("PostgreSQL not measured in this run (no BIANMIN_BENCH_POSTGRES_URL).")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
