"""Per-keystroke catalogue search over 2,000 items (goal: p95 ≤ 5 ms).

The kiosk searches on every key of the on-screen keyboard, so each prefix of a
realistic query is timed: hanzi typed word by word, full pinyin and initials typed
letter by letter. The 2,000-item catalogue is the shipped sample repeated with
varied names and codes (a county list is ~125 items; this is a 15x margin).
Also reported: index build time and catalogue loading (YAML vs the JSON cache).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.report import percentile, write_section
from bianmin import paths
from bianmin.domain.catalogue import ServiceItem, load_catalogue
from bianmin.domain.search import CatalogueSearch

GOAL_MS = 5.0
SIZE = 2000
ROUNDS = 5
VARIANTS = ["", "（变更）", "（注销）", "（补办）", "（延续）", "（牧区）", "（农区）", "（城镇）", "（异地）",
            "（集中办理）", "（二次申请）", "（代理人办理）", "（年度复核）"]
QUERIES = [
    "最低生活保障", "身份证补领", "宅基地", "高龄津贴", "营业执照", "林木采伐", "养老保险", "残疾人",
    "dibao", "shenfenzheng", "sfz", "zhaijidi", "gaolingjintie", "yingyezhizhao", "caifa",
    "yanglaobaoxian", "db", "cjr", "hukouqianyi",
]


def big_catalogue(items: list[ServiceItem], size: int = SIZE) -> list[ServiceItem]:
    out = []
    for i in range(size):
        base = items[i % len(items)]
        variant = VARIANTS[(i // len(items)) % len(VARIANTS)]
        out.append(base.model_copy(update={"code": f"BENCH{i:06d}", "name": base.name + variant}))
    return out


def keystrokes(query: str) -> list[str]:
    return [query[: n + 1] for n in range(len(query))]


def timed(fn, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


FRESH = """
import sys, time
from pathlib import Path
t = time.perf_counter()
from bianmin.catalogue_source import build_search, load_active_catalogue
active = load_active_catalogue(Path(sys.argv[1]))
build_search(active.catalogue, Path(sys.argv[1])).search("dibao")
print((time.perf_counter() - t) * 1000)
"""


def fresh_process_start() -> tuple[float, float]:
    """Catalogue + search index in a new interpreter: first start, then with the caches filled."""
    import subprocess
    import sys

    def run(home: str) -> float:
        out = subprocess.run([sys.executable, "-c", FRESH, home], capture_output=True, text=True, check=True)
        return float(out.stdout.strip())

    with tempfile.TemporaryDirectory() as home:
        first = run(home)
        cached = min(run(home) for _ in range(3))
    return first, cached


def main() -> int:
    import yaml

    start = time.perf_counter()
    catalogue = load_catalogue(paths.CATALOGUE_FILE)
    yaml_ms = (time.perf_counter() - start) * 1000
    cold_ms = timed(lambda: load_catalogue(paths.CATALOGUE_FILE), 3)

    from bianmin.catalogue_source import load_active_catalogue

    with tempfile.TemporaryDirectory() as home:
        load_active_catalogue(Path(home))  # fills the JSON cache
        cached_ms = timed(lambda: load_active_catalogue(Path(home)), 5)

    fresh_first, fresh_cached = fresh_process_start()

    items = big_catalogue(catalogue.items)
    start = time.perf_counter()
    search = CatalogueSearch(items)
    build_ms = (time.perf_counter() - start) * 1000
    small_build_ms = timed(lambda: CatalogueSearch(catalogue.items), 3)

    samples: list[float] = []
    cpu_samples: list[float] = []
    best_of: dict[str, float] = {}
    per_query: dict[str, float] = {}
    for _ in range(ROUNDS):
        for query in QUERIES:
            for typed in keystrokes(query):
                c0, t0 = time.thread_time(), time.perf_counter()
                search.search(typed)
                ms = (time.perf_counter() - t0) * 1000
                cpu_samples.append((time.thread_time() - c0) * 1000)
                samples.append(ms)
                best_of[typed] = min(best_of.get(typed, float("inf")), ms)
                per_query[query] = max(per_query.get(query, 0.0), ms)

    def row(label: str, values: list[float]) -> str:
        p95 = percentile(values, 95)
        verdict = "met" if p95 <= GOAL_MS else "NOT met"
        return (f"| {label} | {percentile(values, 50):.2f} ms | **{p95:.2f} ms** | {max(values):.2f} ms "
                f"| {verdict} |")

    load = os.getloadavg()[0]
    slowest = sorted(best_of.items(), key=lambda kv: -kv[1])[:5]
    body = f"""
Catalogue of **{len(items)} items** (the {len(catalogue.items)}-item sample, names varied); {len(QUERIES)}
queries typed one character at a time ({len(best_of)} distinct keystrokes, {ROUNDS} rounds, results
limited to 50). **Goal: p95 ≤ {GOAL_MS:.0f} ms per keystroke.** Load average during the run: {load:.1f}
on {os.cpu_count()} cores (other helpers' test runs), so wall-clock samples include time spent
waiting for a CPU; CPU time and best-of-{ROUNDS} show the cost of the search itself.

| per keystroke | p50 | p95 | max | goal p95 ≤ {GOAL_MS:.0f} ms |
|---|---|---|---|---|
{row(f"wall clock, all {len(samples)} samples", samples)}
{row("wall clock, best of rounds per keystroke", list(best_of.values()))}
{row("CPU time of the searching thread", cpu_samples)}

Slowest keystrokes (best of rounds): {", ".join(f"`{q}` {ms:.2f} ms" for q, ms in slowest)}.
Mean wall clock {statistics.mean(samples):.2f} ms.

| one-off cost | time |
|---|---|
| build the index, {len(items)} items (pypinyin, first use) | {build_ms:.0f} ms |
| build the index, shipped {len(catalogue.items)} items (warm) | {small_build_ms:.0f} ms |
| load + validate shipped YAML, first in process (libyaml: {"yes" if hasattr(yaml, "CSafeLoader") else "no"}) | {yaml_ms:.0f} ms |
| load + validate shipped YAML, warm (best of 3) | {cold_ms:.0f} ms |
| `load_active_catalogue()` from the validated JSON cache (best of 5) | {cached_ms:.1f} ms |
| fresh process, first start: `load_active_catalogue()` + `build_search()` (YAML, pypinyin) | {fresh_first:.0f} ms |
| fresh process, later starts: same, from the JSON and pinyin caches (best of 3) | {fresh_cached:.0f} ms |

Fresh-process times include importing pydantic and the catalogue modules, as a kiosk start does.
"""
    write_section("search", "Catalogue search and loading", body)
    print(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
