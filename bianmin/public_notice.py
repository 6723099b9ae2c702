"""What the 公开公示 screen shows, built from config, the cached roster and notices.

The guideline requires the room to show publicly who the agents are (name,
position, photo), the duty roster, the rules, the fee statement and the
supervision phones. The roster and notices come from the server (cached by the
sync worker, so they show offline); the rules and the fee statement are the
county's standing text in the translation files; legal fees come from the
catalogue. Pure data in, view model out — the screen only lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bianmin import paths
from bianmin.config import Config
from bianmin.domain.catalogue import Catalogue

RULE_KEYS = ("proxy_service", "one_time_notice", "time_limit", "integrity", "accountability")


@dataclass(frozen=True)
class AgentCard:
    agent_id: int
    name: str
    position: str
    photo: Path | None
    hours_today: str = ""


@dataclass(frozen=True)
class DutyDay:
    weekday: int  # ISO 1..7
    entries: list[tuple[str, str]]  # (agent name, hours)
    is_today: bool = False


@dataclass(frozen=True)
class PublicNotice:
    room_name: str
    has_roster: bool
    agents_on_duty: list[AgentCard]
    agents: list[AgentCard]
    week: list[DutyDay]
    rule_keys: tuple[str, ...]
    charged_items: list[tuple[str, str]]  # (item name, fee standard)
    complaint_phone: str
    supervision_phone: str
    notices: list[tuple[str, str]] = field(default_factory=list)  # (title, body)


def photo_for(agent_id: int) -> Path | None:
    """A downloaded photo of the agent, if the kiosk has one."""
    folder = paths.data_dir() / "photos"
    for ext in ("jpg", "jpeg", "png"):
        candidate = folder / f"{agent_id}.{ext}"
        if candidate.exists():
            return candidate
    return None


def build_public_notice(
    config: Config,
    roster: dict | None,
    notices: dict | None,
    catalogue: Catalogue | None,
    today: date | None = None,
) -> PublicNotice:
    today = today or date.today()
    weekday = today.isoweekday()
    agents_by_id: dict[int, AgentCard] = {}
    week: list[DutyDay] = []
    room_name = config.room.name
    if roster:
        room = roster.get("room") or {}
        room_name = room.get("name") or room_name
        for a in roster.get("agents", []):
            agents_by_id[int(a["id"])] = AgentCard(int(a["id"]), a.get("name", ""), a.get("position", ""), photo_for(int(a["id"])))
        by_day: dict[int, list[tuple[str, str]]] = {d: [] for d in range(1, 8)}
        hours_today: dict[int, list[str]] = {}
        for d in roster.get("duty", []):
            agent = agents_by_id.get(int(d["agent_id"]))
            if agent is None:
                continue
            by_day[int(d["weekday"])].append((agent.name, d.get("hours", "")))
            if int(d["weekday"]) == weekday:
                hours_today.setdefault(agent.agent_id, []).append(d.get("hours", ""))
        week = [DutyDay(day, entries, day == weekday) for day, entries in by_day.items() if entries or day <= 5]
        on_duty = [
            AgentCard(a.agent_id, a.name, a.position, a.photo, "、".join(hours_today[a.agent_id]))
            for a in agents_by_id.values()
            if a.agent_id in hours_today
        ]
    else:
        on_duty = []
    charged = []
    if catalogue is not None:
        charged = [(item.name, item.fees.standard) for item in catalogue.items if item.fees.charged]
    notice_list = [(n.get("title", ""), n.get("body", "")) for n in (notices or {}).get("notices", [])]
    return PublicNotice(
        room_name=room_name,
        has_roster=bool(roster and roster.get("agents")),
        agents_on_duty=on_duty,
        agents=list(agents_by_id.values()),
        week=week,
        rule_keys=RULE_KEYS,
        charged_items=charged,
        complaint_phone=config.room.complaint_phone,
        supervision_phone=config.room.supervision_phone,
        notices=notice_list,
    )
