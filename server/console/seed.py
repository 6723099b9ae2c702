"""Demo console accounts (a `server.seed.SEED_STEPS` step): one per role, passwords printed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import Agent, Village
from server.models.console import ConsoleUser

# (username, display name, role, scope code, demo password, agent of the village?)
DEMO_USERS = [
    ("admin", "旗政务服务中心管理员", "county_admin", "150121", "demo-admin-2026", False),
    ("bayan", "巴彦苏木便民服务大厅", "township_staff", "150121101", "demo-township-2026", False),
    ("agent", "巴彦嘎查代办员", "village_agent", "150121101001", "demo-agent-2026", True),
    ("wulan", "乌兰嘎查代办员", "village_agent", "150121101002", "demo-agent2-2026", True),
]


def seed_console(session: Session, report) -> None:  # noqa: ANN001 - server.seed.SeedReport
    from server.console.routes_admin import create_user

    report.lines.append("代办工作台 / console: /console/login")
    for username, display, role, scope, password, is_agent in DEMO_USERS:
        existing = session.scalar(select(ConsoleUser).where(ConsoleUser.username == username))
        if existing is not None:
            report.lines.append(f"  {username}: 已存在，密码未改 / exists, password unchanged")
            continue
        user = create_user(session, username, display, role, scope, password, must_change=False)
        if is_agent:
            user.agent_id = session.scalar(
                select(Agent.id).join(Village, Village.id == Agent.village_id).where(Village.code == scope).order_by(Agent.id)
            )
        report.lines.append(f"  {username} / {password}  ({role}, {scope})")
