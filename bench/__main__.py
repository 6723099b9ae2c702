"""Run every bench/bench_*.py in its own process (Kivy benches need a fresh process)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

failed = 0
for script in sorted(Path(__file__).parent.glob("bench_*.py")):
    print(f"== {script.stem}", flush=True)
    rc = subprocess.call([sys.executable, "-m", f"bench.{script.stem}"])
    failed += rc != 0
sys.exit(1 if failed else 0)
