"""Every console route × every role × own / other village; unauthenticated → sign-in.

The route table below must name every console route: a new route without an entry
fails `test_matrix_covers_every_route`, so nobody adds a page without deciding who
may use it.
"""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from server.models import Agent, Device, RosterEntry
from tests.console.conftest import (
    ITEM_CODE,
    app_id,
    csrf_of,
    export_ledger,
    push_application,
    sign_in,
)

OK = "ok"  # served (200), or done/redirected (303), or a form complaint (400)
DENY = "deny"  # 403: the role may not use this at all
HIDDEN = "hidden"  # 404: the object is outside the user's area (as if absent)

ROLES = ("agent_a", "agent_b", "township", "admin")

# (method, path template, {role: expectation}); {own}/{other}/{far} are applications in
# village A / B (same township) / C (another county); {agent_a}/{agent_c} agents;
# {roster_c} a roster entry in C; {device} a kiosk in A.
R = {r: OK for r in ROLES}
ADMIN_ONLY = {"agent_a": DENY, "agent_b": DENY, "township": DENY, "admin": OK}
MANAGERS = {"agent_a": DENY, "agent_b": DENY, "township": OK, "admin": OK}
TABLE = [
    ("GET", "/console/", R),
    ("GET", "/console/inbox", R),
    ("GET", "/console/applications/{own}", {"agent_a": OK, "agent_b": HIDDEN, "township": OK, "admin": OK}),
    ("GET", "/console/applications/{other}", {"agent_a": HIDDEN, "agent_b": OK, "township": OK, "admin": OK}),
    ("GET", "/console/applications/{far}", {"agent_a": HIDDEN, "agent_b": HIDDEN, "township": HIDDEN, "admin": OK}),
    ("POST", "/console/applications/{other}/transition", {"agent_a": HIDDEN, "agent_b": OK, "township": OK, "admin": OK}),
    ("POST", "/console/applications/{far}/transition", {"agent_a": HIDDEN, "agent_b": HIDDEN, "township": HIDDEN, "admin": OK}),
    ("POST", "/console/applications/{own}/reveal", {"agent_a": OK, "agent_b": HIDDEN, "township": OK, "admin": DENY}),
    ("POST", "/console/applications/{far}/reveal", {"agent_a": HIDDEN, "agent_b": HIDDEN, "township": HIDDEN, "admin": DENY}),
    ("GET", "/console/ledger", R),
    ("POST", "/console/ledger.csv", R),
    ("POST", "/console/ledger.xlsx", R),
    ("GET", "/console/reports", R),
    ("GET", "/console/audit", R),
    ("GET", "/console/password", R),
    ("POST", "/console/password", R),
    ("GET", "/console/holidays", ADMIN_ONLY),
    ("POST", "/console/holidays", ADMIN_ONLY),
    ("POST", "/console/holidays/delete", ADMIN_ONLY),
    ("GET", "/console/users", ADMIN_ONLY),
    ("POST", "/console/users", ADMIN_ONLY),
    ("POST", "/console/users/999999/toggle", {"agent_a": DENY, "agent_b": DENY, "township": DENY, "admin": HIDDEN}),
    ("POST", "/console/users/999999/unlock", {"agent_a": DENY, "agent_b": DENY, "township": DENY, "admin": HIDDEN}),
    ("GET", "/console/people", R),
    ("POST", "/console/people", MANAGERS),
    ("GET", "/console/people/{agent_c}/photo", {r: HIDDEN for r in ROLES} | {"admin": HIDDEN}),
    ("POST", "/console/people/{agent_a}/photo", {"agent_a": DENY, "agent_b": DENY, "township": OK, "admin": OK}),
    ("POST", "/console/people/{agent_c}/photo", {"agent_a": DENY, "agent_b": DENY, "township": HIDDEN, "admin": OK}),
    ("POST", "/console/people/{agent_c}/toggle", {"agent_a": DENY, "agent_b": DENY, "township": HIDDEN, "admin": OK}),
    ("POST", "/console/roster", MANAGERS),
    ("POST", "/console/roster/{roster_c}/delete", {"agent_a": DENY, "agent_b": DENY, "township": HIDDEN, "admin": OK}),
    ("GET", "/console/terminals", ADMIN_ONLY),
    ("POST", "/console/terminals/codes", ADMIN_ONLY),
    ("POST", "/console/terminals/{device}/revoke", ADMIN_ONLY),
    ("GET", "/console/catalogue", ADMIN_ONLY),
    ("GET", "/console/catalogue.xlsx", ADMIN_ONLY),
    ("POST", "/console/catalogue/import", ADMIN_ONLY),
    ("GET", "/console/catalogue/items/" + ITEM_CODE, ADMIN_ONLY),
    ("POST", "/console/catalogue/items/" + ITEM_CODE, ADMIN_ONLY),
    ("POST", "/console/logout", R),
]
# Covered by the table through a template above, or by their own tests.
UNLISTED = {("GET", "/console/login"), ("POST", "/console/login"), ("GET", "/console")}


def console_routes(app) -> set[tuple[str, str]]:  # noqa: ANN001
    found = set()
    for route in app.routes:
        path = getattr(route, "path", "")
        if path.startswith("/console") and not path.startswith("/console/static"):
            for method in getattr(route, "methods", None) or ():
                if method in ("GET", "POST"):
                    found.add((method, path))
    return found


def _template(path: str) -> str:
    import re

    return re.sub(r"\{[a-z_]+\}|999999", "{x}", path.replace(ITEM_CODE, "{code}"))


def test_matrix_covers_every_route(server_app) -> None:  # noqa: ANN001
    listed = {(m, _template(p)) for m, p, _e in TABLE} | UNLISTED
    actual = {(m, _template(p)) for m, p in console_routes(server_app)}
    assert actual - listed == set(), "console routes missing from the authorisation matrix"


@pytest.fixture
def ids(client, sessions, world) -> dict[str, int]:  # noqa: ANN001
    from server.db import write_session

    own = app_id(sessions, push_application(client, world, applicant_name="甲村民"))
    other = app_id(sessions, push_application(client, world, world.b.code, applicant_name="乙村民"))
    far = app_id(sessions, push_application(client, world, world.c.code, applicant_name="丙村民"))
    with write_session(sessions) as s:
        agent_a = s.scalar(select(Agent.id).where(Agent.village_id == world.a.id))
        agent_c = s.scalar(select(Agent.id).where(Agent.village_id == world.c.id))
        roster_c = s.scalar(select(RosterEntry.id).where(RosterEntry.village_id == world.c.id))
        device = s.scalar(select(Device.id).where(Device.village_id == world.a.id))
    return {"own": own, "other": other, "far": far, "agent_a": agent_a, "agent_c": agent_c, "roster_c": roster_c,
            "device": device}


def _classify(status: int) -> str:
    assert status != 500
    if status in (200, 303, 400, 409):
        return OK
    return {403: DENY, 404: HIDDEN}.get(status, f"status {status}")


def test_unauthenticated_requests_go_to_sign_in(client, ids) -> None:  # noqa: ANN001
    from fastapi.testclient import TestClient

    anonymous = TestClient(client.app, follow_redirects=False)
    for method, path, _expect in TABLE:
        url = path.format(**ids)
        response = anonymous.request(method, url, data={"csrf": "x"} if method == "POST" else None)
        assert response.status_code == 303, (method, url, response.status_code)
        assert response.headers["location"].startswith("/console/login"), (method, url)
    assert "next=/console/inbox" in anonymous.get("/console/inbox").headers["location"]


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(client, world, ids, role: str) -> None:  # noqa: ANN001
    browser = sign_in(client.app, world.users[role])
    token = csrf_of(browser.get("/console/password").text)
    problems = []
    for method, path, expect in TABLE:
        if path.endswith("/logout"):
            continue  # would end the session mid-test; covered by test_sign_out
        url = path.format(**ids)
        if method == "POST":
            # Harmless bodies: the users/password forms get invalid data so nothing changes.
            data = {"csrf": token, "target": "accepted", "day": "not-a-date", "village": world.a.code}
            response = browser.post(url, data=data)
        else:
            response = browser.get(url)
        got = _classify(response.status_code)
        if got != expect[role]:
            problems.append(f"{role} {method} {url}: expected {expect[role]}, got {response.status_code}")
    assert not problems, "\n".join(problems)


def test_village_agent_sees_and_exports_only_their_village(client, world, ids) -> None:  # noqa: ANN001
    agent = sign_in(client.app, world.users["agent_a"])
    inbox = agent.get("/console/inbox?status=all").text
    assert "甲村民" in inbox and "乙村民" not in inbox and "丙村民" not in inbox
    # Asking for another village by filter finds nothing and says why.
    r = agent.get(f"/console/inbox?village={world.b.code}")
    assert "乙村民" not in r.text and "不在您负责的范围内" in r.text
    r = export_ledger(agent, "csv", village=world.b.code)
    assert r.status_code == 400 and "乙村民" not in r.text
    rows = list(csv.reader(io.StringIO(export_ledger(agent, "csv").content.decode("utf-8-sig"))))
    villages = {row[2] for row in rows[1:]}
    assert villages == {world.a.name}
    assert any(row[4] == "甲村民" for row in rows[1:])
    # Township staff see both villages of their township, not the other county.
    township = sign_in(client.app, world.users["township"])
    text = export_ledger(township, "csv").content.decode("utf-8-sig")
    assert "甲村民" in text and "乙村民" in text and "丙村民" not in text


def test_form_field_naming_another_village_is_refused(client, world, ids) -> None:  # noqa: ANN001
    browser = sign_in(client.app, world.users["township"])
    token = csrf_of(browser.get("/console/people").text)
    r = browser.post("/console/people", data={"csrf": token, "village": world.c.code, "name": "外人"})
    assert r.status_code == 404
    r = browser.post("/console/roster", data={"csrf": token, "agent": str(ids["agent_c"]), "weekday": "1", "hours": "08:30-12:00"})
    assert r.status_code == 404


def test_sign_out_ends_the_session(client, world) -> None:  # noqa: ANN001
    browser = sign_in(client.app, world.users["agent_a"])
    token = csrf_of(browser.get("/console/").text)
    assert browser.post("/console/logout", data={"csrf": token}).status_code == 303
    assert browser.get("/console/inbox").status_code == 303


def test_other_errors_keep_the_api_format(client) -> None:  # noqa: ANN001
    """The console's error pages apply only under /console; the API keeps its JSON errors."""
    r = client.get("/api/v1/no-such-thing")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/json")
    r = client.get("/console/no-such-page")
    assert r.status_code == 404 and "没有这个页面" in r.text
