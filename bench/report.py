"""Write one benchmark's section of docs/performance.md, leaving the others alone."""

from __future__ import annotations

import platform
import re
from datetime import datetime
from pathlib import Path

PERF = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
HEADER = """# Performance

Numbers written by the benchmarks in `bench/` (`make bench`). They come from a shared,
noisy machine (2 cores); targets are checked here, never in pass/fail tests.
Ratios compare two things measured in the same run.
"""


def machine() -> str:
    return f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}"


def write_section(name: str, title: str, body: str, script: str | None = None) -> None:
    """Replace (or append) the section ``name``; ``script`` when it is not bench/bench_<name>.py."""
    text = PERF.read_text(encoding="utf-8") if PERF.exists() else HEADER
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M")
    script = script or f"bench/bench_{name}.py"
    block = f"<!-- bench:{name} -->\n## {title}\n\n_Measured {stamp} on {machine()} by `{script}`._\n\n{body.strip()}\n<!-- /bench:{name} -->"
    pattern = re.compile(rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: block, text)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    PERF.parent.mkdir(parents=True, exist_ok=True)
    PERF.write_text(text, encoding="utf-8")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]
