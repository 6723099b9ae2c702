"""Shared limits across 4 workers: `bianmin server --workers 4` on one PostgreSQL, as one of
several stateless app servers behind nginx would run (docs/deploy.md, "Several app servers").

- Concurrent short-code guesses (kiosk API, 50 at a time, each worker serving some): the
  number evaluated never exceeds the limit — per address, then per code with the address
  limit lifted. Database limiter, and Redis when BIANMIN_BENCH_REDIS_URL is set.
- Requests/s with 4 workers: tracking by token (read-only) and right-answer short-code
  lookups (each reserves and refunds three budgets and logs the attempt).

PostgreSQL: BIANMIN_BENCH_POSTGRES_URL (or BIANMIN_TEST_POSTGRES_URL); a scratch database is
created and dropped. Run: `python -m bench.bench_limits [--quick] [--no-write]`.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.report import write_section
from server import migrate
from server.db import make_engine, make_sessionmaker, write_session
from server.seed import seed_demo
from tests.sync.faults import ServerProcess
from tests.tracking.conftest import make_application

WORKERS = 4
GUESSES = 200
LIMIT = 10


def scratch_database(base: str) -> tuple[str, callable]:
    admin = create_engine(make_url(base), isolation_level="AUTOCOMMIT")
    name = f"bianmin_bench_limits_{secrets.token_hex(4)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(base).set(database=name).render_as_string(hide_password=False), drop


def start(db_url: str, home: str, **env: str) -> ServerProcess:
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        server = ServerProcess(db_url, home, workers=WORKERS)
        server.start(timeout=60)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return server


def guesses(url: str, code: str, n: int) -> dict:
    """``n`` wrong guesses at once (50 threads, keep-alive connections spread over the workers)."""
    local = threading.local()

    def one(i: int) -> int:
        s = getattr(local, "s", None) or requests.Session()
        local.s = s
        return s.post(url + "/api/v1/track/lookup", json={"short_code": code, "last4": f"{i % 10000:04d}"},
                      timeout=30).status_code

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(one, [1000 + i for i in range(n)]))
    return {"sent": n, "evaluated": answers.count(404), "refused": answers.count(429),
            "other": len(answers) - answers.count(404) - answers.count(429),
            "seconds": time.perf_counter() - t0}


def throughput(url: str, make_request, seconds: float, threads: int = 16) -> dict:  # noqa: ANN001
    stop = time.monotonic() + seconds
    counts, errors = [0] * threads, [0] * threads

    def run(k: int) -> None:
        s = requests.Session()
        while time.monotonic() < stop:
            if make_request(s, k).status_code >= 400:
                errors[k] += 1
            counts[k] += 1

    t0 = time.perf_counter()
    workers = [threading.Thread(target=run, args=(k,)) for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - t0
    return {"requests": sum(counts), "rps": sum(counts) / elapsed, "errors": sum(errors)}


def rates(url: str, apps: list[dict], seconds: float) -> tuple[dict, dict]:
    """Requests/s of tracking by token and of right-answer short-code lookups."""
    token_rps = throughput(url, lambda s, k: s.get(
        f"{url}/api/v1/track/{apps[k % len(apps)]['token']}", timeout=30), seconds)
    right = apps[10:]
    lookup_rps = throughput(url, lambda s, k: s.post(
        f"{url}/api/v1/track/lookup", timeout=30,
        json={"short_code": right[k]["short_code"], "last4": right[k]["phone"][-4:]}), seconds)
    return token_rps, lookup_rps


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    base = os.environ.get("BIANMIN_BENCH_POSTGRES_URL") or os.environ.get("BIANMIN_TEST_POSTGRES_URL")
    if not base:
        print("set BIANMIN_BENCH_POSTGRES_URL (PostgreSQL is what several app servers share)")
        return 2
    redis_url = os.environ.get("BIANMIN_BENCH_REDIS_URL", "")
    seconds = 3.0 if args.quick else 8.0
    db_url, drop = scratch_database(base)
    home = tempfile.mkdtemp(prefix="bench-limits-")
    results: dict = {"stores": {}}
    try:
        migrate.upgrade(db_url)
        engine = make_engine(db_url)
        sessions = make_sessionmaker(engine)
        with write_session(sessions) as session:
            seed_demo(session)
        apps = [{**make_application(sessions, ["accepted"], phone=f"139{i:08d}"), "phone": f"139{i:08d}"}
                for i in range(40)]
        engine.dispose()
        stores = [("database (PostgreSQL)", "")] + ([("Redis", redis_url)] if redis_url else [])
        for s_i, (label, redis) in enumerate(stores):
            env = {"BIANMIN_REDIS_URL": redis} if redis else {}
            server = start(db_url, home, BIANMIN_LOOKUP_PER_ADDRESS=str(LIMIT), BIANMIN_LOOKUP_PER_CODE="1000",
                           **env)
            try:
                per_address = guesses(server.url, apps[2 * s_i]["short_code"], GUESSES)
            finally:
                server.stop()
            server = start(db_url, home, BIANMIN_LOOKUP_PER_ADDRESS="100000", BIANMIN_LOOKUP_PER_CODE=str(LIMIT),
                           **env)
            try:
                per_code = guesses(server.url, apps[2 * s_i + 1]["short_code"], GUESSES)
                if s_i == 0:
                    results["token_rps"], results["lookup_rps"] = rates(server.url, apps, seconds)
            finally:
                server.stop()
            results["stores"][label] = {"per_address": per_address, "per_code": per_code}
    finally:
        drop()
    print(json.dumps(results, indent=1))
    if not args.no_write:
        write_section("limits", "Shared limits across 4 workers (several app servers, one PostgreSQL)",
                      report(results, redis_url))
    return 0


def report(results: dict, redis_url: str) -> str:
    lines = [
        f"`bianmin server --workers {WORKERS}` on PostgreSQL; the load generator runs on the same 2 cores "
        f"(load average {os.getloadavg()[0]:.1f} when written). {GUESSES} wrong short-code guesses sent 50 at a "
        f"time over 50 keep-alive connections (the kernel hands each new connection to one of the workers); limit {LIMIT} (per address, then per "
        "code with the address limit lifted). Goal: evaluated ≤ limit, always.",
        "",
        "| limiter store | budget | sent | evaluated (404) | refused (429) | other | seconds |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    ok = True
    for label, r in results["stores"].items():
        for budget in ("per_address", "per_code"):
            g = r[budget]
            ok = ok and g["evaluated"] <= LIMIT and g["other"] == 0
            lines.append(f"| {label} | {budget.replace('_', ' ')} | {g['sent']} | {g['evaluated']} | {g['refused']} | "
                         f"{g['other']} | {g['seconds']:.2f} |")
    if not redis_url:
        lines.append("\nRedis not measured in this run (set BIANMIN_BENCH_REDIS_URL).")
    t, lk = results["token_rps"], results["lookup_rps"]
    lines += [
        "",
        f"Goal (never more evaluated than the limit): {'met' if ok else 'NOT met'}.",
        "",
        "| requests, 16 client threads, 4 workers, database limiter | requests | requests/s | errors |",
        "|---|---:|---:|---:|",
        f"| GET /api/v1/track/<token> | {t['requests']} | {t['rps']:.0f} | {t['errors']} |",
        f"| POST /api/v1/track/lookup (right answers: 3 reservations + 3 refunds + log) | {lk['requests']} | "
        f"{lk['rps']:.0f} | {lk['errors']} |",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
