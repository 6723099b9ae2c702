"""The Simplified Chinese font, shared by the kiosk screens and the slip renderer.

Debian's ``fonts-noto-cjk`` ships ``NotoSansCJK-Regular.ttc``, a collection whose
first face is Japanese; Kivy (SDL_ttf) and many tools open only the first face, so
门, 骨 and ： would come out in Japanese forms. We extract the face named
"Noto Sans CJK SC" once with fontTools into the data directory and use that file
everywhere.
"""

from __future__ import annotations

import os
from pathlib import Path

from bianmin import paths

SEARCH_DIRS = [
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/noto-cjk"),
    Path("/usr/share/fonts/google-noto-cjk"),
]
FAMILY = "Noto Sans CJK SC"
PACKAGE_HINT = "找不到中文字体：请安装 fonts-noto-cjk（sudo apt-get install fonts-noto-cjk）/ no CJK font: install the Debian package fonts-noto-cjk"


class FontMissing(RuntimeError):
    pass


def _collection(weight: str) -> Path | None:
    extra = os.environ.get("BIANMIN_FONT_DIR")
    dirs = ([Path(extra)] if extra else []) + SEARCH_DIRS
    for d in dirs:
        candidate = d / f"NotoSansCJK-{weight}.ttc"
        if candidate.exists():
            return candidate
    return None


def family_name(font_file: Path) -> str:
    """The family name (name ID 1) of a single-face font file."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(font_file), lazy=True)
    return str(font["name"].getDebugName(1))


def _extract(collection: Path, target: Path) -> None:
    from fontTools.ttLib import TTCollection

    ttc = TTCollection(str(collection), lazy=True)
    for face in ttc.fonts:
        if face["name"].getDebugName(1) == FAMILY:
            tmp = target.with_suffix(".tmp")
            face.save(str(tmp))
            tmp.replace(target)
            return
    raise FontMissing(f"{collection} has no face named {FAMILY!r}; {PACKAGE_HINT}")


def font_path(bold: bool = False) -> Path:
    """Path of the extracted Simplified Chinese face (extracting it on first use, cached)."""
    weight = "Bold" if bold else "Regular"
    target_dir = paths.cache_dir() / "fonts"
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"NotoSansCJKsc-{weight}.otf"
    if target.exists() and target.stat().st_size > 0:
        return target
    collection = _collection(weight) or (_collection("Regular") if bold else None)
    if collection is None:
        raise FontMissing(PACKAGE_HINT)
    _extract(collection, target)
    return target
