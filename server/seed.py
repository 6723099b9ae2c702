"""Demo data: a county like 土默特左旗 with townships (苏木/乡镇), villages (嘎查/村),
service rooms, agents with positions, a duty roster, notices, the shipped catalogue
and an enrolment code for the demo kiosk's village.

Idempotent: running it again keeps existing rows and issues a fresh enrolment code.
Other features add their own demo rows (console accounts with printed passwords)
by appending "module:function" to ``SEED_STEPS``; each step gets the session and
the report and appends what to print.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import Agent, County, Notice, RosterEntry, ServiceRoom, Township, Village
from server.services.devices import create_enrolment_code

COUNTY = ("150121", "土默特左旗")
# (code, name, kind, [(village code suffix, name, kind)])
TOWNSHIPS = [
    ("150121100", "察素齐镇", "township", [("001", "把什村", "village"), ("002", "讨思浩村", "village")]),
    ("150121101", "巴彦苏木", "sumu", [("001", "巴彦嘎查", "gacha"), ("002", "乌兰嘎查", "gacha"),
                                      ("003", "哈拉沁嘎查", "gacha")]),
    ("150121102", "北什轴乡", "township", [("001", "北什轴村", "village"), ("002", "添密梁村", "village")]),
]
DEMO_VILLAGE = "150121101001"  # matches the kiosk's default [room] code
AGENT_NAMES = ["王秀英", "张建军", "其其格", "李文博", "乌云娜", "刘志强", "巴特尔", "赵丽华", "孟和",
               "陈晓东", "萨仁", "杨海燕", "宝音", "周明", "高娃", "孙立新", "阿拉坦"]
POSITIONS = ["嘎查达/村委会主任", "代办员（大学生村官）", "第一书记"]
HOURS = ["08:30-12:00", "14:30-17:30"]

# "module:function" steps other features add (e.g. console demo accounts).
SEED_STEPS: list[str] = ["server.console.seed:seed_console"]


@dataclass
class SeedReport:
    created: bool = False
    enrolment_code: str = ""
    village_code: str = DEMO_VILLAGE
    lines: list[str] = field(default_factory=list)


def seed_demo(session: Session, catalogue: dict | None = None) -> SeedReport:
    """Create the demo organisation (once) and a new enrolment code; caller commits."""
    report = SeedReport()
    county = session.execute(select(County).where(County.code == COUNTY[0])).scalar_one_or_none()
    if county is None:
        report.created = True
        _create_org(session)
    if catalogue is not None:
        from server.services.content import latest_catalogue, publish_catalogue

        if latest_catalogue(session) is None:
            row = publish_catalogue(session, catalogue, note="demo: shipped catalogue", by="seed")
            report.lines.append(f"事项目录 / catalogue: version {row.version}")
    village = session.execute(select(Village).where(Village.code == DEMO_VILLAGE)).scalar_one()
    issued = create_enrolment_code(session, village, created_by="seed")
    report.enrolment_code = issued.code
    report.lines.append(f"终端登记码 / enrolment code for {village.name} ({village.code}): {issued.code}")
    for step in SEED_STEPS:
        module, _, func = step.partition(":")
        getattr(importlib.import_module(module), func)(session, report)
    return report


def _create_org(session: Session) -> None:
    county = County(code=COUNTY[0], name=COUNTY[1])
    session.add(county)
    names = iter(AGENT_NAMES * 3)
    for t_code, t_name, t_kind, villages in TOWNSHIPS:
        township = Township(county=county, code=t_code, name=t_name, kind=t_kind, hall_phone="0471-81234")
        session.add(township)
        for v_suffix, v_name, v_kind in villages:
            village = Village(township=township, code=t_code + v_suffix, name=v_name, kind=v_kind)
            session.add(village)
            session.add(ServiceRoom(village=village, name=f"{v_name}便民服务室", address=f"{v_name}村委会一楼",
                                    hours="周一至周五 8:30-12:00, 14:30-17:30", phone="0471-8123456"))
            agents = []
            for position in POSITIONS[: 3 if v_name == "巴彦嘎查" else 2]:
                agent = Agent(village=village, name=next(names), position=position, phone="13800138000")
                session.add(agent)
                agents.append(agent)
            session.flush()
            for weekday in range(1, 6):
                for slot, hours in enumerate(HOURS):
                    agent = agents[(weekday + slot) % len(agents)]
                    session.add(RosterEntry(village_id=village.id, agent_id=agent.id, weekday=weekday, hours=hours))
            if village.code == DEMO_VILLAGE:
                session.add(Notice(village_id=village.id, title="本周四下午集中办理养老保险认证",
                                   body="请携带身份证和社保卡到嘎查便民服务室。"))
    session.add(Notice(village_id=None, title="代办服务免费",
                       body="村（嘎查）便民服务室代办服务一律免费，除法定收费外不收取任何费用。"))
    session.flush()


def shipped_catalogue() -> dict | None:
    """The catalogue shipped with the kiosk, as JSON, if this checkout has one."""
    from bianmin import paths

    if not paths.CATALOGUE_FILE.exists():
        return None
    try:
        from bianmin.domain.catalogue import load_catalogue

        return load_catalogue(paths.CATALOGUE_FILE).model_dump(mode="json")
    except Exception as exc:  # a broken catalogue must not stop the demo; it is reported
        print(f"事项目录未发布 / catalogue not published: {exc}")
        return None
