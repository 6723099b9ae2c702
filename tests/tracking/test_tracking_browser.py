"""The tracking page in a real browser at phone width, with JavaScript switched off
(WeChat's browser, an old phone): read the state, rate it, look up by short code.

Screenshots go to $BIANMIN_SHOTS (if set) or the test's temp directory.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.tracking.conftest import make_application

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
WECHAT_UA = ("Mozilla/5.0 (Linux; Android 12; V2118A) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Version/4.0 Chrome/107.0 Mobile Safari/537.36 MicroMessenger/8.0.40")

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def live_server(server_app):
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(server_app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def phone():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser tests skipped: {CHROMIUM} is missing (`make setup` installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2,
                                      is_mobile=True, has_touch=True, user_agent=WECHAT_UA, locale="zh-CN",
                                      java_script_enabled=False)
        yield context.new_page()
        context.close()
        browser.close()


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("BIANMIN_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_phone_reads_state_rates_and_looks_up(server_app, live_server, phone, tmp_path, db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("one browser run is enough (SQLite)")
    shots = _shots(tmp_path)
    sessions = server_app.state.sessions
    waiting = make_application(sessions, [("awaiting_materials", "", ["户口簿复印件 1 份", "近期免冠照片 2 张"])],
                               name="巴特尔", item_name="农村牧区最低生活保障申请")
    done = make_application(sessions, ["accepted", ("forwarded", "巴彦苏木便民服务大厅", None), "approved", "completed"],
                            phone="13912345678")

    phone.goto(f"{live_server}/t/{waiting['token']}")
    assert phone.locator("#status").inner_text() == "待补材料"
    assert phone.get_by_text("户口簿复印件 1 份").is_visible()
    phone.screenshot(path=str(shots / "track-awaiting.png"), full_page=True)

    phone.goto(f"{live_server}/t/{done['token']}")
    assert phone.locator("#status").inner_text() == "已办结"
    phone.screenshot(path=str(shots / "track-completed.png"), full_page=True)
    # Rate without JavaScript: tap a level, a reason, send.
    phone.get_by_label("不满意", exact=True).check()
    phone.get_by_label("办得太慢").check()
    phone.get_by_role("button", name="提交评价").click()
    assert phone.get_by_text("谢谢您的评价").is_visible()
    assert phone.get_by_role("button", name="提交评价").count() == 0
    phone.screenshot(path=str(shots / "track-rated.png"), full_page=True)

    phone.goto(f"{live_server}/t/this-is-not-a-token")
    assert phone.get_by_role("heading", name="未找到").is_visible()
    phone.screenshot(path=str(shots / "track-not-found.png"), full_page=True)

    phone.goto(f"{live_server}/t")
    phone.get_by_label("查询码").fill(done["short_code"].lower())
    phone.get_by_label("手机号后四位").fill("5678")
    phone.screenshot(path=str(shots / "track-lookup.png"), full_page=True)
    phone.get_by_role("button", name="查询").click()
    assert phone.locator("#status").inner_text() == "已办结"
    assert phone.url.endswith(f"/t/{done['token']}")
