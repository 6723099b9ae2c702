"""County administration from the console: catalogue versions the kiosks download,
people and roster, kiosk enrolment codes and revocation, users, the CLI and demo seed."""

from __future__ import annotations

import io
import subprocess
import sys

from PIL import Image
from sqlalchemy import func, select

from server.models import Agent, CatalogueVersion
from server.models.console import ConsoleUser
from tests.console.conftest import ITEM_CODE, csrf_of, sign_in


def _catalogue_version(client, headers) -> int:  # noqa: ANN001
    r = client.get("/api/v1/catalogue", headers=headers)
    assert r.status_code == 200
    return int(r.headers["X-Catalogue-Version"])


def test_catalogue_export_import_and_edit_publish_versions_kiosks_download(client, sessions, world) -> None:  # noqa: ANN001
    admin = sign_in(client.app, world.users["admin"])
    start = _catalogue_version(client, world.kiosk_headers)
    exported = admin.get("/console/catalogue.xlsx")
    assert exported.status_code == 200 and exported.content[:2] == b"PK"
    token = csrf_of(admin.get("/console/catalogue").text)
    r = admin.post("/console/catalogue/import", data={"csrf": token, "note": "round trip"},
                   files={"file": ("catalogue.xlsx", exported.content, "application/octet-stream")})
    assert r.status_code == 303, r.text
    assert _catalogue_version(client, world.kiosk_headers) == start + 1

    page = admin.get(f"/console/catalogue/items/{ITEM_CODE}")
    assert page.status_code == 200
    bad = admin.post(f"/console/catalogue/items/{ITEM_CODE}", data={
        "csrf": token, "name": "最低生活保障申请", "office": "旗民政局", "statutory_days": "3", "promised_days": "9"})
    assert bad.status_code == 400 and "承诺时限" in bad.text  # promised > statutory explained
    good = admin.post(f"/console/catalogue/items/{ITEM_CODE}", data={
        "csrf": token, "name": "最低生活保障申请（新）", "office": "旗民政局", "statutory_days": "30", "promised_days": "4",
        "conditions": "", "location": "旗政务服务中心"})
    assert good.status_code == 303
    r = client.get("/api/v1/catalogue", headers=world.kiosk_headers)
    body = r.json()
    item = next(i for i in body["catalogue"]["items"] if i["code"] == ITEM_CODE) if "catalogue" in body else \
        next(i for i in body["items"] if i["code"] == ITEM_CODE)
    assert item["name"] == "最低生活保障申请（新）" and item["promised_limit"]["days"] == 4
    assert int(r.headers["X-Catalogue-Version"]) == start + 2

    broken = admin.post("/console/catalogue/import", data={"csrf": token},
                        files={"file": ("c.xlsx", b"PK not really a workbook", "application/octet-stream")})
    assert broken.status_code == 400 and "xlsx" in broken.text
    with sessions() as s:
        assert s.scalar(select(func.max(CatalogueVersion.version))) == start + 2


def test_people_photo_and_roster_reach_the_kiosk_roster(client, sessions, world) -> None:  # noqa: ANN001
    township = sign_in(client.app, world.users["township"])
    token = csrf_of(township.get("/console/people").text)
    r = township.post("/console/people", data={"csrf": token, "village": world.a.code, "name": "新代办员", "position": "大学生村官",
                                                "phone": "13900001111"})
    assert r.status_code == 303
    assert township.post("/console/people", data={"csrf": token, "village": world.a.code, "name": ""}).status_code == 400
    with sessions() as s:
        agent_id = s.scalar(select(Agent.id).where(Agent.name == "新代办员", Agent.village_id == world.a.id))
    png = io.BytesIO()
    Image.new("RGB", (600, 800), (200, 120, 60)).save(png, "PNG")
    r = township.post(f"/console/people/{agent_id}/photo", data={"csrf": token},
                      files={"photo": ("me.png", png.getvalue(), "image/png")})
    assert r.status_code == 303
    photo = township.get(f"/console/people/{agent_id}/photo")
    assert photo.status_code == 200 and Image.open(io.BytesIO(photo.content)).size[1] <= 480
    r = township.post("/console/roster", data={"csrf": token, "agent": str(agent_id), "weekday": "6", "hours": "09:00-11:30"})
    assert r.status_code == 303
    assert township.post("/console/roster", data={"csrf": token, "agent": str(agent_id), "weekday": "8",
                                                  "hours": "09:00-11:30"}).status_code == 400
    assert township.post("/console/roster", data={"csrf": token, "agent": str(agent_id), "weekday": "1",
                                                  "hours": "11:30-09:00"}).status_code == 400
    roster = client.get("/api/v1/roster", headers=world.kiosk_headers).json()
    agents = roster.get("agents") or roster.get("roster", {}).get("agents")
    assert any(a["name"] == "新代办员" and a["photo"] for a in agents)
    duty = roster.get("duty") or roster.get("roster", {}).get("duty")
    assert {"agent_id": agent_id, "weekday": 6, "hours": "09:00-11:30"}.items() <= next(
        d for d in duty if d["agent_id"] == agent_id).items()


def test_enrolment_code_from_the_console_and_revocation(client, sessions, world) -> None:  # noqa: ANN001
    import re

    admin = sign_in(client.app, world.users["admin"])
    token = csrf_of(admin.get("/console/terminals").text)
    r = admin.post("/console/terminals/codes", data={"csrf": token, "village": world.b.code})
    assert r.status_code == 303  # post-redirect-get: reloading the page makes no second code
    shown = admin.get(r.headers["location"])
    code = re.search(r'id="new-code".*?<b[^>]*>([^<]+)</b>', shown.text, re.S).group(1)
    assert 'id="new-code"' not in admin.get(r.headers["location"]).text  # shown once
    from server.models import EnrolmentCode

    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(EnrolmentCode).where(EnrolmentCode.used_at.is_(None),
                                                                           EnrolmentCode.village_id == world.b.id)) == 1
    enrolled = client.post("/api/v1/enrol", json={"code": code, "name": "乙嘎查终端"})
    assert enrolled.status_code == 200, enrolled.text
    device_id, device_token = enrolled.json()["device_id"], enrolled.json()["token"]
    headers = {"Authorization": f"Bearer {device_token}"}
    assert client.get("/api/v1/roster", headers=headers).status_code == 200
    page = admin.get("/console/terminals").text
    assert "乙嘎查终端" in page
    assert admin.post(f"/console/terminals/{device_id}/revoke", data={"csrf": token}).status_code == 303
    assert client.get("/api/v1/roster", headers=headers).status_code == 401
    assert admin.post("/console/terminals/codes", data={"csrf": token, "village": "999999999999"}).status_code == 404


def test_admin_creates_a_user_who_must_change_the_password(client, sessions, world) -> None:  # noqa: ANN001
    admin = sign_in(client.app, world.users["admin"])
    token = csrf_of(admin.get("/console/users").text)
    r = admin.post("/console/users", data={"csrf": token, "username": "new.agent", "display_name": "新人", "role": "village_agent",
                                           "scope": world.c.code[:9], "password": "start-pass-1"})
    assert r.status_code == 400 and "必须是一个村" in r.text  # a township code for a village agent
    r = admin.post("/console/users", data={"csrf": token, "username": "new.agent", "display_name": "新人", "role": "village_agent",
                                           "scope": world.a.code, "password": "start-pass-1"})
    assert r.status_code == 303
    browser = sign_in(client.app, "new.agent", "start-pass-1")
    assert browser.get("/console/inbox").headers["location"] == "/console/password"
    with sessions() as s:
        user = s.scalar(select(ConsoleUser).where(ConsoleUser.username == "new.agent"))
        assert user.password_hash.startswith("$argon2id$") and user.must_change_password


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bianmin", "server", *args], input=stdin, capture_output=True, text=True,
                          timeout=120)


def test_cli_seed_demo_prints_console_users_and_create_user(tmp_path) -> None:  # noqa: ANN001
    db = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    seeded = _cli("seed-demo", "--db", db)
    assert seeded.returncode == 0, seeded.stderr
    assert "admin / demo-admin-2026" in seeded.stdout and "agent / demo-agent-2026" in seeded.stdout
    again = _cli("seed-demo", "--db", db)
    assert "password unchanged" in again.stdout
    made = _cli("create-user", "zhang", "--role", "township_staff", "--scope", "150121101", "--name", "张三",
                "--password-stdin", "--db", db, stdin="zhang-pass-2026\n")
    assert made.returncode == 0, made.stderr
    bad = _cli("create-user", "li", "--role", "village_agent", "--scope", "150121101", "--password-stdin", "--db", db,
               stdin="li-pass-2026\n")
    assert bad.returncode == 2 and "村/嘎查" in bad.stderr
    weak = _cli("create-user", "wang", "--role", "county_admin", "--scope", "150121", "--password-stdin", "--db", db, stdin="123\n")
    assert weak.returncode == 2 and "8" in weak.stderr
