"""An agent takes a kiosk application from 已登记 to 已办结; the audit log and the kiosk's
status pull see every step; illegal steps are refused with a message."""

from __future__ import annotations

from sqlalchemy import select

from server.models import Application, ApplicationEvent
from server.models.console import AuditEntry
from tests.console.conftest import ITEM_MATERIALS, app_id, csrf_of, push_application, sign_in


def act(browser, aid: int, target: str, **data):  # noqa: ANN001, ANN201
    page = browser.get(f"/console/applications/{aid}")
    assert page.status_code == 200
    return browser.post(f"/console/applications/{aid}/transition", data={"csrf": csrf_of(page.text), "target": target, **data})


def test_full_lifecycle_with_audit_and_status_pull(client, sessions, world) -> None:  # noqa: ANN001
    uuid = push_application(client, world, applicant_name="王秀英")
    aid = app_id(sessions, uuid)
    agent = sign_in(client.app, world.users["agent_a"])
    inbox = agent.get("/console/inbox")
    assert inbox.status_code == 200 and "王秀英" in inbox.text and "已登记" in inbox.text

    assert act(agent, aid, "accepted").status_code == 303
    r = act(agent, aid, "awaiting_materials", materials=[ITEM_MATERIALS[1], ITEM_MATERIALS[2]])
    assert r.status_code == 303
    assert act(agent, aid, "accepted", note="材料已补齐").status_code == 303
    assert act(agent, aid, "forwarded", office="旗民政局", note="已送审").status_code == 303
    assert act(agent, aid, "approved").status_code == 303
    assert act(agent, aid, "ready_for_pickup").status_code == 303
    assert act(agent, aid, "completed").status_code == 303

    with sessions() as s:
        app = s.scalar(select(Application).where(Application.id == aid))
        assert app.status == "completed" and app.accepted_on is not None and app.due_date is not None
        assert app.completed_at is not None and app.assigned_agent_id is not None
        events = s.scalars(select(ApplicationEvent).where(ApplicationEvent.application_id == aid)
                           .order_by(ApplicationEvent.id)).all()
        steps = [e.to_status for e in events if e.actor.startswith("user:")]
        assert steps == ["accepted", "awaiting_materials", "accepted", "forwarded", "approved", "ready_for_pickup", "completed"]
        assert events[-6].missing_materials == ITEM_MATERIALS[1:]
        audit = s.scalars(select(AuditEntry).where(AuditEntry.target_type == "application", AuditEntry.target_id == str(aid))
                          .order_by(AuditEntry.id)).all()
        assert [(e.from_status, e.to_status) for e in audit] == [
            ("submitted", "accepted"), ("accepted", "awaiting_materials"), ("awaiting_materials", "accepted"),
            ("accepted", "forwarded"), ("forwarded", "approved"), ("approved", "ready_for_pickup"),
            ("ready_for_pickup", "completed")]
        assert all(e.username == world.users["agent_a"] for e in audit)

    # The kiosk's status pull sees the steps, with the one-time notice of missing materials.
    pulled = client.get("/api/v1/sync/status", headers=world.kiosk_headers).json()
    mine = [c for c in pulled["changes"] if c["application_uuid"] == uuid]
    assert mine[-1]["status"] == "completed"
    assert any(c["status"] == "awaiting_materials" and c["missing_materials"] == ITEM_MATERIALS[1:] for c in mine)

    detail = agent.get(f"/console/applications/{aid}").text
    for label in ("已受理", "待补材料", "已报送乡镇", "已批准", "可领取", "已办结"):
        assert label in detail
    audit_page = sign_in(client.app, world.users["township"]).get(f"/console/audit?application={aid}")
    assert audit_page.status_code == 200 and audit_page.text.count("办理") >= 7


def test_illegal_and_incomplete_actions_are_refused_with_a_message(client, sessions, world) -> None:  # noqa: ANN001
    aid = app_id(sessions, push_application(client, world))
    agent = sign_in(client.app, world.users["agent_a"])
    r = act(agent, aid, "completed")  # a proxy item cannot jump to completed
    assert r.status_code == 409 and "当前状态下不能进行这一步" in r.text
    r = act(agent, aid, "not_accepted")  # reason required
    assert r.status_code == 400 and "请填写原因" in r.text
    r = act(agent, aid, "awaiting_materials")  # nothing picked
    assert r.status_code == 400 and "勾选" in r.text
    r = act(agent, aid, "awaiting_materials", materials=["伪造的材料"])  # not on the item's list
    assert r.status_code == 400
    r = act(agent, aid, "teleported")
    assert r.status_code == 400
    assert act(agent, aid, "accepted").status_code == 303
    r = act(agent, aid, "forwarded")  # no office
    assert r.status_code == 400 and "报送单位" in r.text
    r = act(agent, aid, "not_accepted", note="请到苏木大厅申请")
    assert r.status_code == 409
    with sessions() as s:
        assert s.get(Application, aid).status == "accepted"


def test_not_accepted_note_reaches_the_kiosk(client, sessions, world) -> None:  # noqa: ANN001
    uuid = push_application(client, world)
    aid = app_id(sessions, uuid)
    agent = sign_in(client.app, world.users["agent_a"])
    assert act(agent, aid, "not_accepted", note="请到旗政务服务中心3号窗口申请").status_code == 303
    changes = client.get("/api/v1/sync/status", headers=world.kiosk_headers).json()["changes"]
    last = [c for c in changes if c["application_uuid"] == uuid][-1]
    assert last["status"] == "not_accepted" and "3号窗口" in last["note"]
