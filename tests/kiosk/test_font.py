"""The kiosk draws Chinese with the Simplified Chinese face, not the .ttc's first (Japanese) face."""

from __future__ import annotations

from pathlib import Path

import pytest

from bianmin import fonts

pytestmark = pytest.mark.ui

# 门 and 骨 have visibly different Japanese and Simplified Chinese glyphs.
PROBE = "门骨"


def render(font_file: Path | str, text: str = PROBE) -> bytes:
    from kivy.core.text import Label as CoreLabel

    label = CoreLabel(text=text, font_name=str(font_file), font_size=96)
    label.refresh()
    return bytes(label.texture.pixels)


def japanese_face(tmp_path: Path) -> Path:
    from fontTools.ttLib import TTCollection

    collection = fonts._collection("Regular")
    assert collection is not None, fonts.PACKAGE_HINT
    ttc = TTCollection(str(collection), lazy=True)
    jp = next(face for face in ttc.fonts if face["name"].getDebugName(1) == "Noto Sans CJK JP")
    target = tmp_path / "jp.otf"
    jp.save(str(target))
    return target


def test_default_font_is_the_simplified_chinese_face(app, tmp_path):
    from kivy.core.text import LabelBase
    from kivy.uix.label import Label

    assert Label().font_name == "Roboto"  # every widget's default font name...
    registered = Path(LabelBase._fonts["Roboto"][0])  # ...is this file
    assert fonts.family_name(registered) == "Noto Sans CJK SC"
    assert registered == fonts.font_path()
    assert fonts.family_name(Path(LabelBase._fonts["Roboto"][2])) == "Noto Sans CJK SC"  # bold

    sc = render(registered)
    assert sc == render(registered), "rendering is not deterministic; the comparison below means nothing"
    assert sc != render(japanese_face(tmp_path)), "门/骨 drawn with the Japanese glyph shapes"
