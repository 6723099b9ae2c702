"""README's images are files in the repository, so a fresh clone shows them.

They once pointed at docs/screenshots/ files that only a local screenshot tour wrote (and two at
names the tour never wrote): on a fresh clone README showed broken images.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
# Markdown images ![alt](path) and HTML <img src="path">.
IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)|<img\b[^>]*\bsrc=[\"']([^\"']+)")


def local_images() -> list[str]:
    text = README.read_text(encoding="utf-8")
    refs = [md or html for md, html in IMAGE.findall(text)]
    return [ref for ref in refs if not re.match(r"[a-z][a-z0-9+.-]*:", ref, re.I)]


def test_readme_shows_screenshots():
    assert len(local_images()) >= 6, "README's screenshot table lost its images"


@pytest.mark.parametrize("ref", local_images())
def test_readme_image_is_a_file_in_the_repository(ref: str):
    path = (ROOT / ref).resolve()
    assert path.is_relative_to(ROOT), f"{ref} points outside the repository"
    assert path.is_file(), f"README shows {ref}, which is not in the repository"
    if shutil.which("git") and (ROOT / ".git").exists():
        tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files", "--error-unmatch", ref],
                                 capture_output=True, text=True)
        assert tracked.returncode == 0, f"README shows {ref}, which git does not track (.gitignore?)"
