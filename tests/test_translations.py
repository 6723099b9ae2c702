"""Every user-facing string exists in both languages, and every key the kiosk uses exists."""

from __future__ import annotations

import re
from pathlib import Path

from bianmin import i18n, paths

KEY_IN_CODE = re.compile(r"""\btr\(\s*['"]([a-z][a-z0-9_.]*)['"]""")


def test_zh_cn_and_en_have_the_same_keys():
    zh, en = set(i18n.catalogue("zh_CN")), set(i18n.catalogue("en"))
    assert sorted(zh - en) == [], "keys missing in English"
    assert sorted(en - zh) == [], "keys missing in Simplified Chinese"


def test_no_empty_translations():
    for lang in i18n.LANGUAGES:
        empty = [k for k, v in i18n.catalogue(lang).items() if not str(v).strip()]
        assert empty == [], f"{lang}: empty values"


def test_every_literal_key_used_by_the_kiosk_exists():
    known = set(i18n.catalogue("zh_CN"))
    used: dict[str, str] = {}
    for file in (paths.REPO_ROOT / "kiosk").rglob("*"):
        if file.suffix in {".py", ".kv"}:
            for key in KEY_IN_CODE.findall(file.read_text(encoding="utf-8")):
                used.setdefault(key, str(file.relative_to(paths.REPO_ROOT)))
    assert used, "the scan found no keys at all"
    missing = {k: f for k, f in used.items() if k not in known}
    assert missing == {}


def test_placeholders_match_between_languages():
    field = re.compile(r"\{(\w+)\}")
    zh, en = i18n.catalogue("zh_CN"), i18n.catalogue("en")
    wrong = {k: (zh[k], en[k]) for k in zh.keys() & en.keys()
             if set(field.findall(zh[k])) != set(field.findall(en[k]))}
    assert wrong == {}
    assert Path(paths.TRANSLATIONS).is_dir()
