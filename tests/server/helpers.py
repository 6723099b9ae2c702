"""Helpers for server tests (shared with the console and tracking tests).

    village = seed_village(sessions)               # a fresh county/township/village
    kiosk = enrol_device(client, sessions, village.code)
    client.post("/api/v1/sync/push", json={"records": [application_record(village.code)]},
                headers=kiosk.headers)
"""

from __future__ import annotations

import itertools
import os
import uuid as uuidlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bianmin.domain.tracking import new_short_code, new_token
from server.db import write_session
from server.models import Agent, County, RosterEntry, ServiceRoom, Township, Village
from server.services.devices import create_enrolment_code, village_by_code

_counter = itertools.count(1)


@dataclass(frozen=True)
class SeededVillage:
    id: int
    code: str
    name: str
    township_id: int
    county_id: int


@dataclass(frozen=True)
class EnrolledKiosk:
    device_id: int
    token: str
    village_code: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def unique_county_code() -> str:
    """6 digits unique within this test process (databases are per session)."""
    n = next(_counter)
    return f"{(os.getpid() % 89) + 10:02d}{n:04d}"


def seed_village(sessions: sessionmaker[Session], name: str = "测试嘎查", agents: int = 2) -> SeededVillage:
    """A new county → township → village with a room, agents and a duty roster."""
    county_code = unique_county_code()
    with write_session(sessions) as session:
        county = County(code=county_code, name=f"测试旗{county_code}")
        township = Township(county=county, code=county_code + "100", name="测试苏木", kind="sumu")
        village = Village(township=township, code=county_code + "100001", name=name, kind="gacha")
        session.add_all([county, township, village])
        session.add(ServiceRoom(village=village, name=f"{name}便民服务室", address="村委会", hours="8:30-17:30"))
        for i in range(agents):
            agent = Agent(village=village, name=f"代办员{i + 1}", position="代办员")
            session.add(agent)
            session.flush()
            session.add(RosterEntry(village_id=village.id, agent_id=agent.id, weekday=i + 1, hours="08:30-12:00"))
        session.flush()
        return SeededVillage(id=village.id, code=village.code, name=village.name, township_id=township.id,
                             county_id=county.id)


def add_village(sessions: sessionmaker[Session], township_id: int, suffix: str = "002",
                name: str = "邻村") -> SeededVillage:
    """Another village in the same township (for cross-village tests)."""
    with write_session(sessions) as session:
        township = session.get(Township, township_id)
        village = Village(township=township, code=township.code + suffix, name=name)
        session.add(village)
        session.flush()
        return SeededVillage(id=village.id, code=village.code, name=name, township_id=township_id,
                             county_id=township.county_id)


def enrolment_code(sessions: sessionmaker[Session], village_code: str, hours: int = 72) -> str:
    with write_session(sessions) as session:
        return create_enrolment_code(session, village_by_code(session, village_code), hours=hours).code


def enrol_device(client, sessions: sessionmaker[Session], village_code: str, name: str = "kiosk") -> EnrolledKiosk:  # noqa: ANN001
    """Issue a code and exchange it through the API, as a kiosk would."""
    code = enrolment_code(sessions, village_code)
    response = client.post("/api/v1/enrol", json={"code": code, "name": name})
    assert response.status_code == 200, response.text
    body = response.json()
    return EnrolledKiosk(device_id=body["device_id"], token=body["token"], village_code=body["village_code"])


def now_iso(offset_seconds: float = 0) -> str:
    return (datetime.now(UTC) + timedelta(seconds=offset_seconds)).isoformat()


def application_record(village_code: str, **overrides: object) -> dict:
    """A valid wire ApplicationRecord dict (bianmin.domain.wire)."""
    stamp = now_iso()
    record = {
        "kind": "application", "uuid": str(uuidlib.uuid4()), "village_code": village_code,
        "item_code": "150121-MZ-001", "item_name": "最低生活保障申请", "item_version": 1,
        "applicant_name": "王秀英", "phone": "13800138000", "id_number": "11010519491231002X",
        "note": "", "materials_brought": ["身份证"], "materials_missing": ["户口簿"],
        "status": "submitted", "token": new_token(), "short_code": new_short_code(),
        "promised_days": 5, "consent_at": stamp, "created_at": stamp, "updated_at": stamp,
    }
    record.update(overrides)
    return record


def queue_ticket_record(village_code: str, **overrides: object) -> dict:
    stamp = now_iso()
    record = {
        "kind": "queue_ticket", "uuid": str(uuidlib.uuid4()), "village_code": village_code, "line": "A",
        "number": 12, "service_day": stamp[:10], "issued_at": stamp, "window": "1", "updated_at": stamp,
    }
    record.update(overrides)
    return record


def rating_record(village_code: str, **overrides: object) -> dict:
    stamp = now_iso()
    record = {
        "kind": "rating", "uuid": str(uuidlib.uuid4()), "village_code": village_code, "stage": "general",
        "level": 2, "reasons": ["等待时间长"], "text": "", "created_at": stamp, "updated_at": stamp,
    }
    record.update(overrides)
    return record


def complaint_record(village_code: str, **overrides: object) -> dict:
    stamp = now_iso()
    record = {
        "kind": "complaint", "uuid": str(uuidlib.uuid4()), "village_code": village_code, "category": "服务态度",
        "text": "工作人员不在岗", "about_staff": "", "contact": "", "created_at": stamp, "updated_at": stamp,
    }
    record.update(overrides)
    return record
