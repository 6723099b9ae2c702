"""Reads of feat/server's organisation tables that the console needs, in one place."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import Township, Village


def villages(db: Session):  # -> list[scope.VillageRef]
    from server.console.scope import VillageRef

    rows = db.execute(
        select(Village.id, Village.code, Village.name, Township.code)
        .join(Township, Township.id == Village.township_id)
        .order_by(Village.code)
    ).all()
    return [VillageRef(id=r[0], code=r[1], name=r[2], township_code=r[3]) for r in rows]


def townships(db: Session) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in db.execute(select(Township.code, Township.name).order_by(Township.code))]


def counties(db: Session) -> list[tuple[str, str]]:
    from server.models import County

    return [(r[0], r[1]) for r in db.execute(select(County.code, County.name).order_by(County.code))]


def new_enrolment_code(db: Session, village_id: int, created_by: str) -> str:
    """A one-time kiosk enrolment code for a village (stored hashed); returns the plain code."""
    import hashlib
    from datetime import timedelta

    from bianmin.domain.tracking import new_short_code
    from server.models import EnrolmentCode
    from server.models.base import utcnow

    code = new_short_code()
    db.add(EnrolmentCode(village_id=village_id, code_hash=hashlib.sha256(code.encode()).hexdigest(),
                         expires_at=utcnow() + timedelta(hours=72), created_by=created_by))
    return code
