"""The published catalogue as the console needs it: item names, materials, type, office.

Versions are immutable, so a parsed version is cached by its number.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.models import CatalogueVersion


@dataclass(frozen=True)
class ItemInfo:
    code: str
    name: str
    item_type: str
    office: str
    materials: tuple[str, ...]
    decided_at: str


_CACHE: dict[tuple[int, str], dict[str, ItemInfo]] = {}


def _parse(body: dict) -> dict[str, ItemInfo]:
    items: dict[str, ItemInfo] = {}
    for raw in body.get("items", []):
        name = raw.get("name", "")
        if raw.get("sub_item"):
            name = f"{name}（{raw['sub_item']}）"
        items[raw["code"]] = ItemInfo(
            code=raw["code"],
            name=name,
            item_type=raw.get("item_type", "proxy"),
            office=raw.get("office", ""),
            materials=tuple(m.get("name", "") for m in raw.get("materials", [])),
            decided_at=raw.get("decided_at", "village"),
        )
    return items


def latest_version(db: Session) -> CatalogueVersion | None:
    newest = db.scalar(select(func.max(CatalogueVersion.version)))
    if newest is None:
        return None
    return db.scalar(select(CatalogueVersion).where(CatalogueVersion.version == newest))


def items(db: Session) -> dict[str, ItemInfo]:
    """Items of the newest published version (parsed once per version and worker)."""
    head = db.execute(select(CatalogueVersion.version, CatalogueVersion.etag).order_by(CatalogueVersion.version.desc()).limit(1)).first()
    if head is None:
        return {}
    key = (head[0], head[1])
    if key not in _CACHE:
        body = db.scalar(select(CatalogueVersion.body).where(CatalogueVersion.version == head[0]))
        if len(_CACHE) > 8:
            _CACHE.clear()
        _CACHE[key] = _parse(body or {})
    return _CACHE[key]
