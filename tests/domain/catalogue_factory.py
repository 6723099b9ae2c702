"""Small valid raw catalogue items for tests that need to break one field at a time."""

from __future__ import annotations

from typing import Any


def raw_item(code: str = "TEST000001", name: str = "测试事项", **changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "code": code,
        "name": name,
        "item_type": "proxy",
        "topics": ["民政救助"],
        "decided_at": "township",
        "office": "苏木乡镇人民政府",
        "applicants": "本村村民",
        "materials": [{"name": "居民身份证", "originals": 1, "copies": 1}],
        "steps": [{"name": "受理", "actor": "村代办员", "time": "即时"}],
        "statutory_limit": {"days": 20},
        "promised_limit": {"days": 10},
        "result": {"name": "决定书", "type": "决定"},
    }
    item.update(changes)
    return item


def raw_catalogue(*items: dict[str, Any]) -> dict[str, Any]:
    return {"version": 1, "published": "2026-01-01", "items": list(items)}
