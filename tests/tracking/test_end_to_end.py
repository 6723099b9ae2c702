"""The whole thread of issue 8, with real parts and a real HTTP server:

kiosk application (local store) → printed receipt preview → sync to the server →
an agent accepts and completes it in the console → the kiosk syncs the status →
the QR decoded off the receipt image is fetched with a real HTTP client and says
已办结 → the villager rates it 非常不满意 at the kiosk → sync → the 差评 follow-up
appears for the township supervisor (never for the village agent) → the
supervisor answers → the answer is on the villager's tracking page.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from datetime import UTC, datetime

import pytest
import requests
import uvicorn
from sqlalchemy import select

from bianmin.config import Config
from bianmin.local import applications, feedback
from bianmin.local.tracking import decode_qr
from bianmin.store import LocalStore
from printer.application_slips import receipt_slip
from server.db import write_session
from tests.apply.fixtures import HUKOU, ID_CARD, sample_item
from tests.console.conftest import PASSWORD, make_user

VILLAGE = "150121101001"  # 巴彦嘎查 in the demo seed, township 巴彦苏木 150121101
CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def real_serializers():
    """Other suites register fake outbox serializers; this test uploads the real records."""
    from bianmin.local import outbox

    saved = {kind: outbox.serializer_for(kind) for kind in ("application", "rating", "complaint")}
    outbox.register_serializer("application", applications.serialize)
    outbox.register_serializer("rating", feedback.rating_to_wire)
    outbox.register_serializer("complaint", feedback.complaint_to_wire)
    yield
    for kind, fn in saved.items():
        if fn is not None:
            outbox.register_serializer(kind, fn)


@pytest.fixture()
def live_server(server_app):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(server_app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(5)


def console_browser(base: str, username: str) -> requests.Session:
    browser = requests.Session()
    page = browser.get(f"{base}/console/login")
    resp = browser.post(f"{base}/console/login", allow_redirects=False,
                        data={"username": username, "password": PASSWORD, "csrf": CSRF_RE.search(page.text).group(1)})
    assert resp.status_code == 303, resp.text
    return browser


def console_step(browser: requests.Session, base: str, app_id: int, target: str, **data: str) -> None:
    page = browser.get(f"{base}/console/applications/{app_id}")
    assert page.status_code == 200, page.text
    resp = browser.post(f"{base}/console/applications/{app_id}/transition", allow_redirects=False,
                        data={"csrf": CSRF_RE.search(page.text).group(1), "target": target, **data})
    assert resp.status_code == 303, resp.text


def test_receipt_qr_to_tracking_page_to_rating_to_supervisor_answer(server_app, live_server, tmp_path):
    from printer.service import PrintService
    from server.models import Application, Township, Village
    from server.services.devices import create_enrolment_code
    from server_client.client import ServerClient
    from server_client.worker import SyncWorker

    sessions = server_app.state.sessions
    base = live_server

    # ----- the kiosk: enrolled for the demo village, printing to PNG previews -------------
    with write_session(sessions) as session:
        village = session.execute(select(Village).where(Village.code == VILLAGE)).scalar_one()
        code = create_enrolment_code(session, village).code
        township_code = session.get(Township, village.township_id).code
    reply = ServerClient(base).enrol(code, name="e2e kiosk")
    config = Config.model_validate({
        "room": {"code": VILLAGE},
        "kiosk": {"public_base_url": base},
        "printer": {"uri": f"preview://{tmp_path / 'previews'}"},
        "server": {"url": base, "device_token": reply["token"]},
    })
    store = LocalStore(tmp_path / "kiosk.sqlite3")
    worker = SyncWorker(store, ServerClient(base, reply["token"]), install_catalogue=None)

    local = applications.create_application(
        store, sample_item(needs_id=False), name="王秀英", phone="13800138000",
        materials_brought=[ID_CARD, HUKOU], consent_at=datetime.now(UTC), village_code=VILLAGE,
    )
    printer = PrintService(config.printer, store, config.room)
    printer.start()
    try:
        job_id = printer.submit(receipt_slip(local, config))
        deadline = time.monotonic() + 20
        while (printer.job(job_id).status != "printed") and time.monotonic() < deadline:
            time.sleep(0.05)
        job = printer.job(job_id)
        assert job.status == "printed", job.last_error
    finally:
        printer.stop()
    from PIL import Image

    receipt = Image.open(job.preview_path)
    urls = decode_qr(receipt.convert("L"))
    assert urls == [f"{base}/t/{local.token}"]

    assert worker.sync_once(), worker.state
    with sessions() as session:
        server_app_row = session.execute(select(Application).where(Application.uuid == local.uuid)).scalar_one()
        app_id = server_app_row.id

    # Before anything happens the page already answers, in plain words.
    page = requests.get(urls[0], timeout=10)
    assert page.status_code == 200 and "已登记" in page.text

    # ----- the console: the village agent accepts, approves and completes ------------
    agent = make_user(sessions, "village_agent", VILLAGE)
    supervisor = make_user(sessions, "township_staff", township_code)
    agent_browser = console_browser(base, agent)
    console_step(agent_browser, base, app_id, "accepted")
    console_step(agent_browser, base, app_id, "approved")
    console_step(agent_browser, base, app_id, "completed")

    assert worker.sync_once(), worker.state
    from bianmin.local import status_cache

    assert status_cache.cached_status(store, local.uuid).status == "completed"

    # ----- the villager's phone: scan the QR, read the page ---------------------------
    page = requests.get(urls[0], timeout=10, headers={"User-Agent": "Mozilla/5.0 MicroMessenger/8.0"})
    assert page.status_code == 200
    assert re.search(r'id="status">\s*已办结', page.text)
    assert "王*英" in page.text and "13800138000" not in page.text and "王秀英" not in page.text
    assert page.headers["X-Robots-Tag"].startswith("noindex")

    # ----- the villager rates at the kiosk: 非常不满意, with a reason -----------------
    feedback.save_rating(store, VILLAGE, feedback.RatingInput(level=1, reasons=["slow"], text="跑了三趟<b>",
                                                              application_uuid=local.uuid))
    assert worker.sync_once(), worker.state
    # One rating per application: the page no longer offers the form.
    page = requests.get(urls[0], timeout=10)
    assert "请您评价这次服务" not in page.text and "您已经评价过这件事" in page.text

    # ----- the follow-up: the supervisor sees it, the agent does not -----------------
    assert agent_browser.get(f"{base}/console/followups", allow_redirects=False).status_code == 403
    boss = console_browser(base, supervisor)
    listing = boss.get(f"{base}/console/followups")
    assert listing.status_code == 200
    assert "非常不满意" in listing.text and "办得太慢" in listing.text and "城乡居民基本养老保险参保登记" in listing.text
    assert "跑了三趟&lt;b&gt;" in listing.text  # the villager's text is escaped
    follow_id = re.search(r'/console/followups/(\d+)/answer', listing.text).group(1)
    answer = "已核实，代办员已向您道歉，今后材料一次性告知。"
    resp = boss.post(f"{base}/console/followups/{follow_id}/answer", allow_redirects=False,
                     data={"csrf": CSRF_RE.search(listing.text).group(1), "answer": answer})
    assert resp.status_code == 303, resp.text

    page = requests.get(urls[0], timeout=10)
    assert "对您的评价的回复" in page.text and answer in page.text
    # The kiosk's own 查询进度 API says the same.
    api = requests.get(f"{base}/api/v1/track/{local.token}", timeout=10).json()
    assert api["status"] == "completed" and api["answer"] == answer and api["rated"] is True
