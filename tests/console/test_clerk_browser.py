"""A township clerk's walk through the fixes of issue 14 in a real browser (Debian's
chromium via Playwright): stale 需补交, the 一次性告知 checklist with a material typed
by hand, a phone to tap, the ID reveal reloaded, the language link after a refused
POST, the ledger workbook's name, and a villager's rating error on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.console.conftest import PASSWORD, app_id, push_application
from tests.console.test_browser import _act, _shot, browser_page, live_server  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PHONE = {"width": 390, "height": 844}


def _sign_in(page, base: str, username: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/console/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/**")


def test_clerk_walks_the_fixes(live_server, browser_page, client, world, sessions) -> None:  # noqa: ANN001, F811
    from server.models import Application
    from server.models.console import IdReveal

    uuid = push_application(client, world, applicant_name="李桂兰", phone="13912345678",
                            materials_brought=["身份证"], materials_missing=["户口簿"])
    aid = app_id(sessions, uuid)
    page = browser_page
    base = live_server
    _sign_in(page, base, world.users["agent_a"])
    detail = f"{base}/console/applications/{aid}"
    page.goto(detail)
    assert "户口簿" in page.locator("#missing").inner_text()
    assert page.locator("#phone-call").get_attribute("href") == "tel:13912345678"

    # Reveal the ID number, then reload: shown again, logged once.
    page.locator(f"form[action$='/applications/{aid}/reveal'] button").click()
    page.wait_for_load_state()
    assert "11010519491231002X" in page.locator("#id-number").inner_text()
    page.reload()
    assert "11010519491231002X" in page.locator("#id-number").inner_text()
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(IdReveal).where(IdReveal.application_id == str(aid))) == 1

    # A refused POST (not accepted needs a reason), then the language link: an English page, not "Not found".
    page.goto(detail)
    form = page.locator("form#act-not_accepted")
    form.locator("textarea[name=note]").evaluate("el => el.removeAttribute('required')")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.click("#other-lang")
    page.wait_for_load_state()
    assert "Not found" not in page.content() and "/console/applications/" in page.url
    page.click("#other-lang")  # back to Chinese
    page.wait_for_load_state()

    _act(page, "accepted")
    assert page.locator("#missing").count() == 0  # accepted: 需补交 is history now
    form = page.locator("form#act-awaiting_materials")
    assert form.locator("input[value='身份证']").count() == 0  # already brought
    form.locator("input[value='户口簿']").check()
    form.locator("input[name=materials_other]").fill("村委会证明")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "村委会证明" in page.locator("#missing").inner_text()
    _shot(page, "11-one-time-notice")
    _act(page, "accepted", note="材料已补齐")
    _act(page, "approved")
    _act(page, "completed")
    assert page.locator("#missing").count() == 0

    page.goto(f"{base}/console/ledger")
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert world.a.name in download.value.suggested_filename  # the village, in the browser's own words
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"

    # The villager rates on a phone; a 差评 without a reason is refused and the error is in view.
    with sessions() as s:
        token = s.scalar(select(Application.token).where(Application.id == aid))
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/t/{token}")
    page.locator("input[name=level][value='1']").check()
    page.locator("#rate button[type=submit]").click()
    page.wait_for_load_state()
    error = page.locator("#rate-error")
    assert error.count() == 1
    box = error.bounding_box()
    assert box is not None and 0 <= box["y"] < PHONE["height"], box
    _shot(page, "12-rating-error-phone")
