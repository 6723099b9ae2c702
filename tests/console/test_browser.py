"""A real browser (Debian's chromium via Playwright) takes a kiosk application from
已登记 to 已办结, then the kiosk's SyncWorker pulls the new status.

Also writes screenshots of the main pages to $BIANMIN_CONSOLE_SHOTS (if set) so
people can look at them.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.console.conftest import ITEM_CODE, ITEM_MATERIALS, PASSWORD
from tests.server.helpers import application_record

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live_server(server_app):  # noqa: ANN001, ANN201
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(server_app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def browser_page():  # noqa: ANN201
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser tests skipped: {CHROMIUM} is missing (`make setup` installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        yield context.new_page()
        context.close()
        browser.close()


def _kiosk(tmp_path: Path, base_url: str, token: str, record: dict):  # noqa: ANN202
    """A kiosk store with one application in its outbox, and its sync worker."""
    from bianmin.local import outbox
    from bianmin.store import LocalStore
    from server_client.client import ServerClient
    from server_client.worker import SyncWorker

    store = LocalStore(tmp_path / "kiosk.sqlite3")
    previous = outbox.serializer_for("application")
    outbox.register_serializer("application", lambda _conn, uuid: record if uuid == record["uuid"] else None)
    worker = SyncWorker(store, ServerClient(base_url, token), install_catalogue=None, documents=())
    with store.transaction() as conn:
        outbox.mark_dirty(conn, "application", record["uuid"])
    return store, worker, previous


def _shot(page, name: str) -> None:  # noqa: ANN001
    folder = os.environ.get("BIANMIN_CONSOLE_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _act(page, target: str, note: str = "", **extra: str) -> None:  # noqa: ANN001
    form = page.locator(f"form#act-{target}")
    if note:
        form.locator("textarea[name=note]").fill(note)
    if "office" in extra:
        form.locator("select[name=office]").select_option(extra["office"])
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已办理" in page.content(), page.content()[:2000]


def test_agent_takes_an_application_to_completed_and_the_kiosk_sees_it(
    live_server, browser_page, world, sessions, tmp_path  # noqa: ANN001
) -> None:
    from server_client import outbox, status

    record = application_record(world.a.code, item_code=ITEM_CODE, applicant_name="王秀英",
                                materials_missing=[ITEM_MATERIALS[1]])
    store, worker, previous = _kiosk(tmp_path, live_server, world.kiosk_headers["Authorization"].split()[1], record)
    try:
        assert worker.sync_once(), worker.state
        assert outbox.pending_count(store) == 0

        page = browser_page
        page.goto(f"{live_server}/console/inbox")
        assert "/console/login" in page.url  # not signed in yet
        _shot(page, "01-login")
        page.fill("#username", world.users["agent_a"])
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/console/inbox**")
        row = page.locator("#inbox tr", has_text="王秀英")
        assert row.count() == 1 and "已登记" in row.inner_text()
        _shot(page, "02-inbox")
        row.locator("a").first.click()
        page.wait_for_load_state()
        assert "最低生活保障申请" in page.content()

        _act(page, "accepted")
        assert page.locator("#due-date").inner_text() != "—"
        form = page.locator("form#act-awaiting_materials")
        for material in ITEM_MATERIALS[1:]:
            form.locator(f"input[value='{material}']").check()
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert "已办理" in page.content()
        _shot(page, "03-detail-awaiting")

        # The kiosk pulls the one-time notice of missing materials.
        assert worker.sync_once()
        cached = status.cached_status(store, record["uuid"])
        assert cached.status == "awaiting_materials" and cached.missing_materials == ITEM_MATERIALS[1:]

        _act(page, "accepted", note="材料已补齐")
        _act(page, "forwarded", note="已送旗民政局审核", office="旗民政局")
        _act(page, "approved")
        _act(page, "completed")
        timeline = page.locator("#timeline").inner_text()
        for label in ("已受理", "待补材料", "已报送乡镇", "已批准", "已办结"):
            assert label in timeline
        _shot(page, "04-detail-completed")

        assert worker.sync_once()
        cached = status.cached_status(store, record["uuid"])
        assert cached.status == "completed"

        # The audit log shows every step (township staff supervise it).
        page.click("header .who button")  # sign out
        page.wait_for_url("**/console/login**")
        page.fill("#username", world.users["township"])
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/console/**")
        _shot(page, "05-dashboard")
        page.goto(f"{live_server}/console/audit")
        assert page.locator("#audit tbody tr", has_text="办理").count() >= 6
        _shot(page, "06-audit")
        page.goto(f"{live_server}/console/ledger")
        assert "王秀英" in page.locator("#ledger").inner_text()
        _shot(page, "07-ledger")
        with page.expect_download() as download:
            page.click("#export-xlsx")
        import io

        from openpyxl import load_workbook

        assert download.value.suggested_filename.endswith(".xlsx")
        data = Path(download.value.path()).read_bytes()
        rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(data)).active.iter_rows(min_row=3)]
        assert any(r[4] == "王秀英" and r[6] == "已办结" for r in rows)
        page.goto(f"{live_server}/console/reports")
        _shot(page, "08-reports")
        page.goto(f"{live_server}/console/people")
        _shot(page, "09-people")
        page.set_viewport_size({"width": 390, "height": 844})  # a phone
        page.goto(f"{live_server}/console/inbox?status=all")
        _shot(page, "10-inbox-phone")
    finally:
        from server_client import outbox as ob

        if previous is not None:
            ob.register_serializer("application", previous)
        worker.stop()
        store.close()
