"""Copy the screenshots README.md shows from a screenshot-tour directory into docs/screenshots/.

Why: the tour writes ~160 PNGs (every screen, both languages and sizes, ~10 MB); the repository
keeps only the few README shows, so a fresh clone renders README without running anything.
Each is flattened onto white (Kivy exports widgets with a transparent background, which shows
as black text on black in a dark-mode viewer) and reduced to a 64-colour palette (a quarter
of the size; flat UI colours and anti-aliased text survive it).

    python tools/readme_screenshots.py TOUR_DIR   # what `make screenshots` runs after the tour
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
TARGET = "docs/screenshots/"
IMAGE_REF = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")
COLOURS = 64


def readme_screenshots(readme: Path = ROOT / "README.md") -> list[str]:
    """The docs/screenshots/ file names README.md shows, in order."""
    refs = IMAGE_REF.findall(readme.read_text(encoding="utf-8"))
    return [ref[len(TARGET):] for ref in refs if ref.startswith(TARGET)]


def shrink(source: Path, target: Path) -> None:
    image = Image.open(source).convert("RGBA")
    flat = Image.new("RGBA", image.size, (255, 255, 255, 255))
    flat.alpha_composite(image)
    flat.convert("RGB").quantize(COLOURS, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    tour = Path(argv[0])
    out = ROOT / TARGET
    out.mkdir(parents=True, exist_ok=True)
    missing = []
    for name in readme_screenshots():
        if not (tour / name).is_file():
            missing.append(name)
            continue
        shrink(tour / name, out / name)
        print(f"{TARGET}{name}: {(out / name).stat().st_size // 1024} KB")
    if missing:
        print(f"the tour in {tour} wrote no {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
