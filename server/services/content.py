"""What kiosks download by version: the catalogue, notices and the agent roster.

Each document has an ETag; a kiosk sends it back in If-None-Match and gets 304
when nothing changed, so polling costs one indexed query and a few bytes.
Catalogue versions carry a stored ETag; notices and roster ETags are a hash of
the exact JSON served, so any edit (by any worker) changes them.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from server.models import Agent, CatalogueVersion, Notice, RosterEntry, ServiceRoom, Village, utcnow


def canonical_json(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8")


def etag_of(obj: object) -> str:
    return '"' + hashlib.sha256(canonical_json(obj)).hexdigest()[:32] + '"'


def publish_catalogue(session: Session, body: dict, note: str = "", by: str = "") -> CatalogueVersion:
    """Store a new immutable catalogue version (body = Catalogue.model_dump(mode='json'))."""
    current = session.execute(select(func.max(CatalogueVersion.version))).scalar() or 0
    version = current + 1
    row = CatalogueVersion(version=version, body=body, note=note, published_by=by,
                           etag=f'"cat-{version}-{etag_of(body)[1:17]}"')
    session.add(row)
    session.flush()
    return row


def latest_catalogue(session: Session) -> CatalogueVersion | None:
    return session.execute(
        select(CatalogueVersion).order_by(CatalogueVersion.version.desc()).limit(1)
    ).scalar_one_or_none()


def notices_document(session: Session, village_id: int) -> dict:
    now = utcnow()
    rows = session.execute(
        select(Notice)
        .where(or_(Notice.village_id.is_(None), Notice.village_id == village_id))
        .where(Notice.published_at <= now)
        .where(or_(Notice.expires_at.is_(None), Notice.expires_at > now))
        .order_by(Notice.published_at.desc(), Notice.id.desc())
    ).scalars()
    return {
        "notices": [
            {"id": n.id, "title": n.title, "body": n.body, "county_wide": n.village_id is None,
             "published_at": n.published_at.isoformat(),
             "expires_at": n.expires_at.isoformat() if n.expires_at else None}
            for n in rows
        ]
    }


def roster_document(session: Session, village: Village) -> dict:
    agents = session.execute(
        select(Agent).where(Agent.village_id == village.id, Agent.active.is_(True)).order_by(Agent.id)
    ).scalars().all()
    duty = session.execute(
        select(RosterEntry).where(RosterEntry.village_id == village.id)
        .order_by(RosterEntry.weekday, RosterEntry.hours, RosterEntry.id)
    ).scalars().all()
    room = session.execute(select(ServiceRoom).where(ServiceRoom.village_id == village.id).limit(1)).scalar()
    return {
        "village": {"code": village.code, "name": village.name},
        "room": ({"name": room.name, "address": room.address, "hours": room.hours, "phone": room.phone}
                 if room else None),
        "agents": [
            {"id": a.id, "name": a.name, "position": a.position, "phone": a.phone, "photo": a.photo_path}
            for a in agents
        ],
        "duty": [
            {"agent_id": d.agent_id, "weekday": d.weekday, "hours": d.hours, "note": d.note} for d in duty
        ],
    }
