"""The translation layer: every user-facing string is looked up here by key.

Catalogues are JSON files in ``assets/translations/<lang>/*.json`` (one file per
feature, merged at load, so features never edit each other's files). Simplified
Chinese (zh_CN) is the default and the fallback; a key missing everywhere shows
the key itself, which the translation-completeness test catches.

Values may hold ``{name}`` placeholders filled from keyword arguments.
"""

from __future__ import annotations

import json
from functools import cache

from bianmin import paths

DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = {"zh_CN": "简体中文", "en": "English"}


@cache
def catalogue(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    folder = paths.TRANSLATIONS / lang
    for file in sorted(folder.glob("*.json")):
        data = json.loads(file.read_text(encoding="utf-8"))
        merged.update(data)
    return merged


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **fmt: object) -> str:
    text = catalogue(lang).get(key)
    if text is None:
        text = catalogue(DEFAULT_LANGUAGE).get(key, key)
    if fmt:
        try:
            text = text.format(**fmt)
        except (KeyError, IndexError, ValueError):
            pass
    return text


def reload() -> None:
    catalogue.cache_clear()
