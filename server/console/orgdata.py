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
    """A one-time kiosk enrolment code for a village (feat/server stores it hashed)."""
    from server.services.devices import create_enrolment_code

    return create_enrolment_code(db, db.get(Village, village_id), created_by=created_by).code
