"""The defects a township clerk met (issue 14): stale 需补交, the 一次性告知 checklist,
reloading the ID reveal, the language link after a POST, phones to tap, and a ledger
workbook that prints and says what it covers."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlalchemy import func, select

from server.models import Application
from server.models.console import AuditEntry, IdReveal
from tests.console.conftest import app_id, csrf_of, export_ledger, push_application, sign_in
from tests.console.test_flow import act


def test_missing_materials_are_not_shown_once_the_case_is_finished(client, sessions, world) -> None:  # noqa: ANN001
    aid = app_id(sessions, push_application(client, world, materials_missing=["户口簿"]))
    agent = sign_in(client.app, world.users["agent_a"])
    assert "需补交</b>: 户口簿" in agent.get(f"/console/applications/{aid}").text
    assert act(agent, aid, "accepted").status_code == 303
    assert act(agent, aid, "approved").status_code == 303
    page = agent.get(f"/console/applications/{aid}").text
    assert "需补交</b>" not in page


def test_one_time_notice_offers_only_what_is_not_brought_and_takes_other_materials(client, sessions, world) -> None:  # noqa: ANN001
    aid = app_id(sessions, push_application(client, world, materials_brought=["身份证"], materials_missing=[]))
    agent = sign_in(client.app, world.users["agent_a"])
    act(agent, aid, "accepted")
    page = agent.get(f"/console/applications/{aid}").text
    form = page.split('id="act-awaiting_materials"')[1].split("</form>")[0]
    assert 'value="户口簿"' in form and 'value="身份证"' not in form
    r = act(agent, aid, "awaiting_materials", materials=["户口簿"], materials_other="村委会证明、银行卡复印件")
    assert r.status_code == 303, r.text
    with sessions() as s:
        assert s.get(Application, aid).materials_missing == ["户口簿", "村委会证明", "银行卡复印件"]
    r = act(agent, aid, "accepted")
    r = act(agent, aid, "awaiting_materials", materials_other="仅手写材料")
    assert r.status_code == 303, r.text
    r = act(agent, aid, "accepted")
    r = act(agent, aid, "awaiting_materials", materials=["不在清单里的"])
    assert r.status_code == 400


def test_reloading_the_revealed_id_number_writes_no_second_audit_row(client, sessions, world) -> None:  # noqa: ANN001
    aid = app_id(sessions, push_application(client, world))
    agent = sign_in(client.app, world.users["agent_a"])
    token = csrf_of(agent.get(f"/console/applications/{aid}").text)
    r = agent.post(f"/console/applications/{aid}/reveal", data={"csrf": token})
    assert r.status_code == 303
    shown = r.headers["location"]
    for _ in range(2):  # the page and a reload of it
        page = agent.get(shown)
        assert page.status_code == 200 and "11010519491231002X" in page.text
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(IdReveal).where(IdReveal.application_id == str(aid))) == 1
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "id_revealed", AuditEntry.target_id == str(aid))) == 1
    # The grant is this session's: another user with the same URL sees the masked number.
    other = sign_in(client.app, world.users["township"])
    assert "11010519491231002X" not in other.get(shown).text
    assert "11010519491231002X" not in agent.get(shown.replace("shown=", "shown=x")).text


def test_language_link_after_a_post_leads_to_a_page(client, sessions, world) -> None:  # noqa: ANN001
    aid = app_id(sessions, push_application(client, world))
    agent = sign_in(client.app, world.users["agent_a"])
    page_url = f"/console/applications/{aid}"
    token = csrf_of(agent.get(page_url).text)
    # A reason is required: the page answers the POST with its error (a browser sends the Referer).
    r = agent.post(f"{page_url}/transition", data={"csrf": token, "target": "not_accepted"},
                   headers={"referer": f"http://testserver{page_url}"})
    assert r.status_code == 400, r.status_code
    link = re.search(r'<a href="([^"]*lang=en[^"]*)"', r.text).group(1)
    assert link.startswith(page_url), link
    english = agent.get(link)
    assert english.status_code == 200 and "Not found" not in english.text


def test_phone_can_be_tapped_to_call(client, sessions, world) -> None:  # noqa: ANN001
    aid = app_id(sessions, push_application(client, world, phone="13800138000"))
    agent = sign_in(client.app, world.users["agent_a"])
    page = agent.get(f"/console/applications/{aid}").text
    assert 'href="tel:13800138000"' in page and "138****8000" in page


def test_ledger_workbook_names_its_village_office_rating_and_prints_landscape(client, sessions, world) -> None:  # noqa: ANN001
    forwarded = app_id(sessions, push_application(client, world, applicant_name="转办人"))
    push_application(client, world, applicant_name="未受理人")
    agent = sign_in(client.app, world.users["agent_a"])
    act(agent, forwarded, "accepted")
    assert act(agent, forwarded, "forwarded", office="旗民政局", note="已送").status_code == 303
    with sessions() as s:
        uuid = s.get(Application, forwarded).uuid
    from server.db import write_session
    from server.models import Rating

    with write_session(sessions) as s:
        from datetime import UTC, datetime

        now = datetime.now(UTC)
        s.add(Rating(uuid="00000000-0000-4000-8000-000000000001", village_id=world.a.id, application_uuid=uuid,
                     stage="completion", level=4, reasons=[], text="", created_at=now, updated_at=now, received_at=now))
    r = export_ledger(agent)
    assert r.status_code == 200
    disposition = r.headers["content-disposition"]
    assert world.a.code in disposition and "filename*=UTF-8''" in disposition
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert world.a.name in sheet.cell(1, 1).value
    headers = [c.value for c in sheet[2]]
    rows = {row[4]: dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["转办人"]["转办单位"] == "旗民政局" and rows["转办人"]["评价"] == "满意"
    assert rows["未受理人"]["是否超期"] == "—"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1


def test_exports_are_posts_so_no_get_writes_an_audit_row(client, sessions, world) -> None:  # noqa: ANN001
    agent = sign_in(client.app, world.users["agent_a"])
    with sessions() as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "ledger_export"))
    assert agent.get("/console/ledger.xlsx").status_code in (404, 405)
    assert agent.post("/console/ledger.xlsx", data={}).status_code == 403  # no CSRF token
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "ledger_export")) == before
    assert export_ledger(agent, "csv").status_code == 200
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "ledger_export")) == before + 1
