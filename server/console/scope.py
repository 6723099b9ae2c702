"""Who may see what: roles and scopes.

A village agent sees only their village; township staff see the villages of their
township; a county admin sees everything. Every query for applications goes through
`visible_villages`, so a URL, a form field or an export filter naming another
village finds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from server.console.web import Ctx, Refused
from server.models.console import ConsoleUser

VILLAGE_AGENT, TOWNSHIP_STAFF, COUNTY_ADMIN = "village_agent", "township_staff", "county_admin"


@dataclass(frozen=True)
class VillageRef:
    id: int
    code: str
    name: str
    township_code: str


def all_villages(db: Session) -> list[VillageRef]:
    from server.console import orgdata

    return orgdata.villages(db)


def visible_villages(db: Session, user: ConsoleUser) -> list[VillageRef]:
    villages = all_villages(db)
    if user.role == COUNTY_ADMIN:
        return villages
    if user.role == TOWNSHIP_STAFF:
        return [v for v in villages if v.township_code == user.scope_code]
    return [v for v in villages if v.code == user.scope_code]


def visible_codes(ctx: Ctx) -> list[str]:
    return [v.code for v in visible_villages(ctx.db, ctx.user)]


def require_role(ctx: Ctx, *roles: str) -> None:
    if ctx.user.role not in roles:
        raise Refused(403, "console.error.role")
