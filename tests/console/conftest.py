"""Console fixtures: the shared server fixtures plus a small world with every role.

`world` = two villages in one township (A, B), a village in another county (C), a
published catalogue, a kiosk enrolled in A, and one console user per role.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from server.db import write_session
from tests.server.conftest import (  # noqa: F401 - shared fixtures
    client,
    db_url,
    kiosk,
    make_postgres_db,
    server_app,
    server_settings,
    sessions,
    village,
)
from tests.server.helpers import SeededVillage, add_village, enrol_device, seed_village

PASSWORD = "test-pass-2026"
ITEM_CODE = "150121MZ001"
ITEM_MATERIALS = ["身份证", "户口簿", "低保申请书"]
_users = itertools.count(1)

CATALOGUE = {
    "version": 1, "published": "2026-01-01", "title": "测试目录", "sample": True,
    "items": [{
        "code": ITEM_CODE, "name": "最低生活保障申请", "item_type": "proxy", "topics": ["民政救助"],
        "decided_at": "county", "office": "旗民政局", "applicants": "本旗户籍困难家庭",
        "materials": [{"name": m, "originals": 1, "copies": 1} for m in ITEM_MATERIALS],
        "steps": [{"name": "受理"}], "statutory_limit": {"days": 30}, "promised_limit": {"days": 5},
        "result": {"name": "低保证"},
    }, {
        "code": "150121HJ002", "name": "开具居住证明", "item_type": "instant", "topics": ["证明开具"],
        "decided_at": "village", "office": "村委会", "applicants": "本村村民",
        "materials": [{"name": "身份证", "originals": 1}],
        "steps": [{"name": "开具"}], "statutory_limit": {"days": 1}, "promised_limit": {"days": 0},
        "result": {"name": "证明"},
    }],
}


@dataclass
class World:
    a: SeededVillage
    b: SeededVillage
    c: SeededVillage
    users: dict[str, str]  # role key -> username
    kiosk_headers: dict[str, str]


def publish_test_catalogue(sessions) -> None:  # noqa: ANN001, F811
    from bianmin.domain.catalogue import Catalogue
    from server.console.routes_catalogue import publish

    with write_session(sessions) as session:
        publish(session, Catalogue.model_validate(CATALOGUE), "test", "test")


def make_user(sessions, role: str, scope: str, agent_of: int | None = None) -> str:  # noqa: ANN001, F811
    from sqlalchemy import select

    from server.console.routes_admin import create_user
    from server.models import Agent

    username = f"u{next(_users)}_{role[:4]}"
    with write_session(sessions) as session:
        user = create_user(session, username, f"{role}-{username}", role, scope, PASSWORD, must_change=False)
        if agent_of is not None:
            user.agent_id = session.scalar(select(Agent.id).where(Agent.village_id == agent_of).order_by(Agent.id))
    return username


@pytest.fixture
def world(client, sessions) -> World:  # noqa: ANN001, F811
    from server.models import County, Township

    a = seed_village(sessions, name="甲嘎查")
    b = add_village(sessions, a.township_id, name="乙嘎查")
    c = seed_village(sessions, name="丙村")
    publish_test_catalogue(sessions)
    with sessions() as session:
        township_code = session.get(Township, a.township_id).code
        county_code = session.get(County, a.county_id).code
    users = {
        "agent_a": make_user(sessions, "village_agent", a.code, agent_of=a.id),
        "agent_b": make_user(sessions, "village_agent", b.code),
        "township": make_user(sessions, "township_staff", township_code),
        "admin": make_user(sessions, "county_admin", county_code),
    }
    enrolled = enrol_device(client, sessions, a.code)
    return World(a=a, b=b, c=c, users=users, kiosk_headers=enrolled.headers)


CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def sign_in(app, username: str, password: str = PASSWORD) -> TestClient:  # noqa: ANN001
    """A fresh browser-like client (own cookie jar) signed in as `username`."""
    browser = TestClient(app, follow_redirects=False)
    page = browser.get("/console/login")
    response = browser.post("/console/login", data={"username": username, "password": password, "csrf": csrf_of(page.text)})
    assert response.status_code == 303, response.text
    return browser


def export_ledger(browser, kind: str = "xlsx", **filters: str):  # noqa: ANN001, ANN201
    """Export the ledger as the page's export form does (a POST with the CSRF token)."""
    token = csrf_of(browser.get("/console/ledger").text)
    return browser.post(f"/console/ledger.{kind}", data={"csrf": token, **filters})


def push_application(client, world: World, village_code: str | None = None, **overrides) -> str:  # noqa: ANN001, F811
    """Upload an application through the sync API as a kiosk would; returns its UUID."""
    from tests.server.helpers import application_record

    code = village_code or world.a.code
    headers = world.kiosk_headers
    if code != world.a.code:
        headers = enrol_device(client, client.app.state.sessions, code).headers
    record = application_record(code, item_code=ITEM_CODE, **overrides)
    response = client.post("/api/v1/sync/push", json={"records": [record]}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["result"] == "created", response.text
    return record["uuid"]


def app_id(sessions, uuid: str) -> int:  # noqa: ANN001, F811
    from sqlalchemy import select

    from server.models import Application

    with sessions() as session:
        return session.scalar(select(Application.id).where(Application.uuid == uuid))
