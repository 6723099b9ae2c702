"""Ledger exports (CSV, XLSX opened with openpyxl), the monthly report, the dashboard,
holidays moving promised dates, and the pure deadline/report arithmetic."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import select

from bianmin.domain.calendar import WorkingCalendar
from server.console import deadlines, ledger, reports
from server.models import Application
from tests.console.conftest import (
    ITEM_MATERIALS,
    app_id,
    csrf_of,
    export_ledger,
    push_application,
    sign_in,
)
from tests.console.test_flow import act

EXPECTED_HEADERS = ["序号", "登记日期", "村/嘎查", "事项", "申请人", "联系电话", "状态", "受理日期", "承诺办结日期",
                    "办结日期", "是否超期", "转办单位", "评价", "代办员", "查询码", "备注"]


def test_xlsx_export_has_the_township_columns_and_masked_phones(client, sessions, world) -> None:  # noqa: ANN001
    first = app_id(sessions, push_application(client, world, applicant_name="王秀英", phone="13800138000"))
    push_application(client, world, applicant_name="=HYPERLINK(\"x\")", phone="13900139000")
    push_application(client, world, world.b.code, applicant_name="邻村人")
    agent = sign_in(client.app, world.users["agent_a"])
    act(agent, first, "accepted")
    r = export_ledger(agent)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet.cell(1, 1).value.startswith(world.a.name + "便民服务室代办台账")
    assert [c.value for c in sheet[2]] == EXPECTED_HEADERS
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))
    assert {row[2] for row in rows} == {world.a.name}  # never another village
    wang = next(row for row in rows if row[4] == "王秀英")
    assert wang[5] == "138****8000" and wang[6] == "已受理" and wang[7] is not None and wang[8] is not None
    assert wang[10] == "否" and wang[3] == "最低生活保障申请"
    assert not any(str(row[4]).startswith("=") for row in rows)  # no formula injection
    assert "13800138000" not in r.content.decode("latin-1")


def test_ledger_filters_and_bad_filters(client, sessions, world) -> None:  # noqa: ANN001
    push_application(client, world, applicant_name="甲一")
    township = sign_in(client.app, world.users["township"])
    assert "甲一" in township.get(f"/console/ledger?village={world.a.code}").text
    assert "甲一" not in township.get(f"/console/ledger?village={world.b.code}").text
    assert "甲一" not in township.get("/console/ledger?status=completed").text
    r = township.get("/console/ledger?date_from=2020-01-01&date_to=2020-01-31")
    assert r.status_code == 200 and "甲一" not in r.text
    r = township.get("/console/ledger?date_from=yesterday")
    assert "看不懂" in r.text
    assert export_ledger(township, "csv", date_from="yesterday").status_code == 400


def test_monthly_report_and_dashboard(client, sessions, world) -> None:  # noqa: ANN001
    ids = [app_id(sessions, push_application(client, world, applicant_name=f"村民{i}")) for i in range(3)]
    agent = sign_in(client.app, world.users["agent_a"])
    for aid in ids[:2]:
        act(agent, aid, "accepted")
    act(agent, ids[0], "approved")
    act(agent, ids[0], "completed")
    month = deadlines.today().strftime("%Y-%m")
    page = agent.get(f"/console/reports?month={month}").text
    assert "按事项" in page and "按村/嘎查" in page and "按代办员" in page
    assert 'id="r-cases">3<' in page
    assert "100%" in page  # the one finished case was on time
    assert "width:" in page  # bars drawn without JavaScript
    assert agent.get("/console/reports?month=2026-99").status_code == 200
    dash = agent.get("/console/").text
    assert world.a.name in dash and world.b.name not in dash
    assert 'id="n-open">2<' in dash


def test_holiday_moves_open_promised_dates(client, sessions, world) -> None:  # noqa: ANN001
    aid = app_id(sessions, push_application(client, world))
    agent = sign_in(client.app, world.users["agent_a"])
    act(agent, aid, "accepted")
    with sessions() as s:
        before = s.get(Application, aid).due_date
    admin = sign_in(client.app, world.users["admin"])
    token = csrf_of(admin.get("/console/holidays").text)
    # A holiday on the next working day pushes the promised date by one working day.
    calendar = WorkingCalendar()
    holiday = calendar.add_working_days(deadlines.today(), 1)
    r = admin.post("/console/holidays", data={"csrf": token, "day": holiday.isoformat(), "kind": "holiday", "name": "测试假日"})
    assert r.status_code == 303
    with sessions() as s:
        after = s.get(Application, aid).due_date
    assert after == WorkingCalendar.of([holiday]).add_working_days(deadlines.today(), 5) and after > before
    r = admin.post("/console/holidays", data={"csrf": token, "day": "2026-11-25", "kind": "workday"})  # a Wednesday
    assert r.status_code == 400 and "周六或周日" in r.text
    admin.post("/console/holidays/delete", data={"csrf": token, "day": holiday.isoformat()})
    with sessions() as s:
        assert s.get(Application, aid).due_date == before


def test_overdue_shows_in_inbox(client, sessions, world) -> None:  # noqa: ANN001
    from server.db import write_session

    aid = app_id(sessions, push_application(client, world, applicant_name="超期人"))
    agent = sign_in(client.app, world.users["agent_a"])
    act(agent, aid, "accepted")
    with write_session(sessions) as s:
        s.get(Application, aid).due_date = date(2020, 1, 1)
    r = agent.get("/console/inbox?overdue=1")
    assert "超期人" in r.text and "badge overdue" in r.text
    assert 'id="n-overdue">' in agent.get("/console/").text


def test_deadline_pauses_while_awaiting_materials() -> None:
    cal = WorkingCalendar()
    mon = date(2026, 3, 2)
    accepted, due = deadlines.deadline([("submitted", mon), ("accepted", mon)], 5, cal)
    assert (accepted, due) == (mon, date(2026, 3, 9))
    history = [("accepted", mon), ("awaiting_materials", date(2026, 3, 3)), ("accepted", date(2026, 3, 5))]
    assert deadlines.deadline(history, 5, cal)[1] == date(2026, 3, 11)  # two working days paused
    assert deadlines.deadline([("submitted", mon)], 5, cal) == (None, None)
    assert deadlines.flag("accepted", date(2026, 3, 1), cal, on=mon) == "overdue"
    assert deadlines.flag("accepted", date(2026, 3, 3), cal, on=mon) == "due-soon"
    assert deadlines.flag("completed", date(2026, 3, 1), cal, on=mon) == ""
    assert deadlines.was_late(date(2026, 3, 3), date(2026, 3, 4), "completed")
    assert not deadlines.was_late(date(2026, 3, 3), date(2026, 3, 3), "completed")


def test_report_sums_by_hand() -> None:
    cal = WorkingCalendar()
    d = date(2026, 3, 2)
    facts = [
        reports.CaseFact("低保", "甲", "王", d, d, date(2026, 3, 9), date(2026, 3, 6), rating=5),
        reports.CaseFact("低保", "甲", "王", d, d, date(2026, 3, 9), date(2026, 3, 10), rating=2),
        reports.CaseFact("证明", "乙", "李", d, None, None, None),
    ]
    by_item = {g.label: g for g in reports.summarise(facts, lambda f: f.item, cal)}
    assert by_item["低保"].cases == 2 and by_item["低保"].on_time_rate == 0.5
    assert by_item["低保"].average_days == (4 + 6) / 2
    assert by_item["低保"].average_rating == 3.5 and by_item["低保"].satisfied_rate == 0.5
    assert by_item["证明"].on_time_rate is None
    assert reports.bar_percent(1, 200) == 1 and reports.bar_percent(0, 5) == 0
    assert reports.month_bounds(2026, 12) == (date(2026, 12, 1), date(2027, 1, 1))


def test_csv_is_excel_friendly_and_formula_safe() -> None:
    row = ledger.LedgerRow(date(2026, 3, 2), "甲", "低保", "=cmd|' /C calc'!A0", "13800138000", "accepted", None, None, None,
                           False, "王", "ABCD-EFGH-J")
    body = ledger.to_csv([row])
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    assert "'=cmd" in text and "138****8000" in text and "13800138000" not in text
    assert ITEM_MATERIALS  # the shared fixture data is importable


def test_materials_request_lists_only_item_materials(client, sessions, world) -> None:  # noqa: ANN001
    aid = app_id(sessions, push_application(client, world, materials_brought=[]))
    agent = sign_in(client.app, world.users["agent_a"])
    page = agent.get(f"/console/applications/{aid}").text
    for material in ITEM_MATERIALS:  # nothing brought yet: the item's whole list is offered
        assert f'value="{material}"' in page
    with sessions() as s:
        assert s.scalar(select(Application.status).where(Application.id == aid)) == "submitted"
