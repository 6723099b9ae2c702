"""Console inbox with 100,000 applications in PostgreSQL: p95 server time (goal ≤ 150 ms).

Creates a scratch database (dropped at the end) on $BIANMIN_BENCH_POSTGRES_URL or
$BIANMIN_TEST_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres),
migrates it, seeds a county of 30 villages, bulk-loads the applications with COPY,
then times in-process requests (FastAPI TestClient, so no network) for each role.
"""

from __future__ import annotations

import os
import random
import secrets
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from bench.report import percentile, write_section

N_APPLICATIONS = int(os.environ.get("BENCH_CONSOLE_N", "100000"))
REQUESTS = int(os.environ.get("BENCH_CONSOLE_REQUESTS", "150"))
STATUSES = ["submitted"] * 6 + ["awaiting_materials", "accepted", "accepted", "forwarded", "approved",
                                "ready_for_pickup"] + ["completed"] * 10 + ["rejected", "not_accepted", "withdrawn"]


def base_url() -> str:
    return (os.environ.get("BIANMIN_BENCH_POSTGRES_URL") or os.environ.get("BIANMIN_TEST_POSTGRES_URL")
            or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def seed(sessions, n: int) -> dict[str, str]:  # noqa: ANN001
    from bianmin.domain.catalogue import Catalogue
    from server.console.routes_admin import create_user
    from server.console.routes_catalogue import publish
    from server.db import write_session
    from server.models import Agent, County, Township, Village

    with write_session(sessions) as s:
        county = County(code="150121", name="土默特左旗")
        s.add(county)
        villages = []
        for t in range(3):
            township = Township(county=county, code=f"150121{100 + t}", name=f"苏木{t + 1}")
            s.add(township)
            for v in range(10):
                village = Village(township=township, code=f"150121{100 + t}{v + 1:03d}", name=f"嘎查{t + 1}-{v + 1}")
                s.add(village)
                villages.append(village)
        s.flush()
        agents = []
        for village in villages:
            agent = Agent(village=village, name=f"代办员{village.code[-4:]}", position="代办员")
            s.add(agent)
            agents.append(agent)
        s.flush()
        catalogue = {"version": 1, "published": "2026-01-01", "items": [
            {"code": f"ITEM{i:03d}", "name": f"事项{i}", "item_type": "proxy", "topics": ["民政救助"], "decided_at": "county",
             "office": "旗民政局", "applicants": "村民", "steps": [{"name": "受理"}], "statutory_limit": {"days": 20},
             "promised_limit": {"days": 5}, "result": {"name": "证"},
             "materials": [{"name": "身份证", "originals": 1}]} for i in range(40)]}
        publish(s, Catalogue.model_validate(catalogue), "bench", "bench")
        create_user(s, "b_admin", "管理员", "county_admin", "150121", "bench-pass-1", must_change=False)
        create_user(s, "b_town", "苏木", "township_staff", "150121100", "bench-pass-1", must_change=False)
        create_user(s, "b_agent", "代办员", "village_agent", villages[0].code, "bench-pass-1", must_change=False)
        village_ids = [(v.id, a.id) for v, a in zip(villages, agents, strict=True)]

    rng = random.Random(7)
    now = datetime.now(UTC)
    engine = sessions.kw["bind"]
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        columns = ("uuid, village_id, item_code, item_name, item_version, applicant_name, phone, note, materials_brought, "
                   "materials_missing, token, short_code, promised_days, consent_at, created_at, updated_at, received_at, "
                   "status, kiosk_status, status_changed_at, accepted_on, due_date, completed_at, assigned_agent_id")
        with cur.copy(f"COPY applications ({columns}) FROM STDIN") as copy:
            for i in range(n):
                village_id, agent_id = village_ids[rng.randrange(len(village_ids))]
                created = now - timedelta(minutes=rng.randrange(0, 60 * 24 * 400))
                status = rng.choice(STATUSES)
                accepted = created.date() if status not in ("submitted", "awaiting_materials", "not_accepted") else None
                due = accepted + timedelta(days=7) if accepted else None
                done = created + timedelta(days=rng.randrange(1, 12)) if status in ("completed", "rejected", "withdrawn", "not_accepted") else None
                item = rng.randrange(40)
                copy.write_row((str(uuid.uuid4()), village_id, f"ITEM{item:03d}", f"事项{item}", 1, f"村民{i}",
                                f"138{i:08d}", "", "[]", "[]", secrets.token_urlsafe(16), f"{i:09d}"[-9:].replace("0", "A"),
                                5, created, created, created, created, status, "submitted", created, accepted, due, done,
                                agent_id if accepted else None))
        raw.commit()
        cur.execute("ANALYZE applications")
        raw.commit()
    finally:
        raw.close()
    return {"village": villages[0].code}


def main() -> int:
    from fastapi.testclient import TestClient

    from server import migrate
    from server.core.config import Settings
    from server.main import create_app

    base = base_url()
    name = f"bianmin_bench_console_{os.getpid()}"
    admin = create_engine(make_url(base), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no PostgreSQL here: say so, do not fail `make bench`
        print(f"bench_console skipped: PostgreSQL not reachable at {base}: {exc}", file=sys.stderr)
        return 0
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        migrate.upgrade(url)
        from cryptography.fernet import Fernet

        app = create_app(Settings(db_url=url, id_key=Fernet.generate_key().decode(), secret_key="bench"))
        t0 = time.perf_counter()
        seed(app.state.sessions, N_APPLICATIONS)
        load_s = time.perf_counter() - t0
        rows = []
        with TestClient(app) as client:
            from tests.console.conftest import csrf_of

            for user, label, query in (
                ("b_admin", "county admin, open cases (all 30 villages)", "/console/inbox"),
                ("b_admin", "county admin, overdue filter", "/console/inbox?overdue=1"),
                ("b_admin", "county admin, page 50", "/console/inbox?status=all&page_no=50"),
                ("b_town", "township staff, open cases (10 villages)", "/console/inbox"),
                ("b_agent", "village agent, open cases (1 village)", "/console/inbox"),
                ("b_agent", "village agent, dashboard", "/console/"),
            ):
                client.cookies.clear()
                page = client.get("/console/login")
                r = client.post("/console/login", data={"username": user, "password": "bench-pass-1", "csrf": csrf_of(page.text)},
                                follow_redirects=False)
                assert r.status_code == 303, r.text
                for _ in range(5):
                    client.get(query)
                times = []
                for _ in range(REQUESTS):
                    start = time.perf_counter()
                    r = client.get(query)
                    times.append((time.perf_counter() - start) * 1000)
                    assert r.status_code == 200
                rows.append((label, percentile(times, 50), percentile(times, 95), max(times)))
        with app.state.sessions() as s:
            from server.models import Application

            count = s.scalar(select(__import__("sqlalchemy").func.count(Application.id)))
        app.state.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    worst = max(r[2] for r in rows)
    lines = [f"{count:,} applications in PostgreSQL 15 (30 villages, bulk-loaded with COPY in {load_s:.1f} s); "
             f"{REQUESTS} timed requests per row, in-process (TestClient: no network), after 5 warm-up requests.",
             "", "| page | p50 ms | p95 ms | max ms |", "|---|---:|---:|---:|"]
    lines += [f"| {label} | {p50:.1f} | {p95:.1f} | {mx:.1f} |" for label, p50, p95, mx in rows]
    lines += ["", f"Goal: inbox p95 ≤ 150 ms → worst p95 {worst:.1f} ms: **{'met' if worst <= 150 else 'NOT met'}**.",
              "Indexes from migration 0002_console: applications (village_id, status, created_at), (status, due_date), "
              "(created_at). The page shows 50 rows and a total count."]
    body = "\n".join(lines)
    print(body)
    write_section("console", "Console inbox (100,000 applications, PostgreSQL)", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
