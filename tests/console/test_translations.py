"""Every console string exists in Simplified Chinese and English; pages render in both."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bianmin import paths
from tests.console.conftest import sign_in

CONSOLE = Path(__file__).resolve().parents[2] / "server" / "console"
KEY = re.compile(r"""["'](console\.[a-z_.]+[a-z_])["']""")


def _keys(lang: str) -> set[str]:
    return set(json.loads((paths.TRANSLATIONS / lang / "console.json").read_text(encoding="utf-8")))


def test_both_languages_have_the_same_keys() -> None:
    assert _keys("zh_CN") == _keys("en")


def test_every_literal_key_in_code_and_templates_is_translated() -> None:
    used = set()
    for file in [*CONSOLE.glob("*.py"), *CONSOLE.glob("templates/*.html")]:
        used |= set(KEY.findall(file.read_text(encoding="utf-8")))
    missing = sorted(k for k in used - _keys("zh_CN") if not k.endswith("."))
    assert not missing, missing


def test_pages_render_in_english(client, world) -> None:  # noqa: ANN001
    admin = sign_in(client.app, world.users["admin"])
    page = admin.get("/console/?lang=en")
    assert page.status_code == 200 and "Dashboard" in page.text and "bm_lang=en" in page.headers.get("set-cookie", "")
    for path in ("/console/inbox", "/console/ledger", "/console/reports", "/console/people", "/console/users",
                 "/console/terminals", "/console/holidays", "/console/catalogue", "/console/audit"):
        text = admin.get(path).text
        assert "console." not in re.sub(r'href="[^"]*"|src="[^"]*"|action="[^"]*"', "", text), path
    assert "工作台" in admin.get("/console/?lang=zh_CN").text
