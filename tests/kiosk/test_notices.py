"""公开公示 with and without a downloaded roster."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bianmin import paths
from bianmin.local import status_cache as status
from tests.kiosk.harness import find, pump, tap

pytestmark = pytest.mark.ui


def _texts(screen) -> str:
    return "\n".join(str(getattr(w, "text", "")) for w in screen.walk(restrict=True))


def _store_document(store, name: str, body: dict | None) -> None:
    status.ensure_schema(store)
    with store.transaction() as conn:
        conn.execute("DELETE FROM sync_documents WHERE name = ?", (name,))
        if body is not None:
            conn.execute(
                "INSERT INTO sync_documents(name, etag, body, fetched_at) VALUES (?, ?, ?, ?)",
                (name, '"t"', json.dumps(body, ensure_ascii=False), datetime.now(UTC).isoformat()),
            )


def _open_notices(app):
    from tests.kiosk.harness import find_button

    tap(find_button(app.root.current_screen, "公开公示"))
    pump(3)
    assert app.root.current == "notices"
    return app.root.current_screen


def test_without_roster_says_so_and_still_shows_rules_and_fees(app):
    _store_document(app.store, "roster", None)
    screen = _open_notices(app)
    text = _texts(screen)
    assert "代办员名单还没有从旗里同步下来" in text
    assert "代办服务一律免费，不收取任何代办费用" in text
    assert "一次性告知" in text and "限时办结" in text and "廉政制度" in text and "责任追究" in text
    assert app.settings.room.complaint_phone in text and app.settings.room.supervision_phone in text


def test_with_roster_shows_agents_on_duty_today_and_the_week(app):
    roster = json.loads((paths.ASSETS / "samples" / "roster.json").read_text(encoding="utf-8"))
    today = datetime.now().isoweekday()
    on_duty = {d["agent_id"] for d in roster["duty"] if d["weekday"] == today}
    names = {a["id"]: a["name"] for a in roster["agents"]}
    _store_document(app.store, "roster", roster)
    _store_document(app.store, "notices", {"notices": [{"title": "养老保险认证", "body": "周四下午"}]})
    screen = _open_notices(app)
    cards = find(screen, lambda w: type(w).__name__ == "AgentCardWidget")
    assert {c.agent.name for c in cards} == {names[i] for i in on_duty}
    text = _texts(screen)
    assert "本周值班表" in text and "星期一" in text
    assert "养老保险认证" in text
    assert "名单还没有" not in text
    _store_document(app.store, "roster", None)
    _store_document(app.store, "notices", None)
