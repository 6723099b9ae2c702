"""Kiosk soak: a scripted villager taps through the real kiosk for thousands of visits.

A kiosk is switched on in the morning and left on for months, so memory must not
grow and a key press must show at once, on a software renderer too (issue 20,
issue 12 §6). This runs the real ``BianminApp`` headless at 1280×800 and drives it
through Kivy's real input path (``UnitTestTouch`` → the window's input dispatch),
with no frame-rate cap so the run is as short as the machine allows:

1. every screen in every tour state, in both languages and both text sizes
   ("the first full visit");
2. a villager (seeded random, weighted mix): browses and reads guides (scrolling
   by the ↓ buttons and by swiping), searches with the pinyin keyboard, starts an
   application and types on its keyboard, takes queue tickets, tracks by short
   code on the pads, rates, reads notices, writes complaints, goes idle (Home,
   attract), toggles 大字 and English; plus random taps on whatever buttons a
   screen shows, so every path gets pressed.

Reported: RSS (VmRSS, current, not peak) at Home, after the first full visit,
after the villager's first 500 visits and at the end; the slope per 1,000 visits
(least squares over samples after the first 500 visits); the ScrollView
``bar_color`` observer count; the worst frame per screen; key press/release →
end of the next frame (p95); the same numbers for a bare Kivy "hello" app in the
same run. ``GALLIUM_DRIVER`` picks Mesa's renderer (llvmpipe, softpipe).

Run: ``python -m bench.bench_soak [--visits N] [--drivers llvmpipe,softpipe]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MARK = "SOAK "
GOAL_OVER_HELLO_MB = 120
GOAL_SLOPE_MB = 1.0
GOAL_KEY_MS = 50
WARM_VISITS = 500
SAMPLE_EVERY = 250


# ----- child helpers ---------------------------------------------------------------------
def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        resident = int(f.read().split()[1])
    return resident * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(**data: object) -> None:
    print(MARK + json.dumps(data), flush=True)


def prepare_kivy() -> None:
    from kiosk import environment

    environment.prepare(headless=True)
    from kivy.config import Config

    Config.set("graphics", "maxfps", "0")  # no frame cap: measure work, not sleeping


def gl_renderer() -> str:
    try:
        from kivy.graphics.opengl import GL_RENDERER, glGetString

        value = glGetString(GL_RENDERER)
        return value.decode() if isinstance(value, bytes) else str(value)
    except Exception as exc:  # noqa: BLE001 - informational only
        return f"unknown ({exc})"


def child_hello(frames: int) -> None:
    prepare_kivy()
    from kivy.app import App
    from kivy.base import EventLoop
    from kivy.uix.label import Label

    class Hello(App):
        def build(self):  # noqa: ANN202
            return Label(text="hello")

    app = Hello()
    app._run_prepare()  # build + window + on_start, without entering the main loop
    for _ in range(frames):
        EventLoop.idle()
    emit(rss_mb=rss_mb(), peak_mb=peak_mb(), renderer=gl_renderer())
    app.stop()


class Villager:
    """Drives the kiosk through real touches and records what it costs."""

    def __init__(self, app, seed: int) -> None:  # noqa: ANN001
        from kivy.base import EventLoop

        self.app = app
        self.loop = EventLoop
        self.rng = random.Random(seed)
        self.visits = 0
        self.frames: dict[str, list[float]] = {}
        self.key_down_ms: list[float] = []
        self.key_up_ms: list[float] = []
        self.keys_in_scroll = 0
        self.key_screens: list[str] = []
        self.idle_samples: list[tuple[int, float]] = []  # RSS right after the kiosk's idle housekeeping
        self.taps = 0
        self.misses = 0
        self.errors: list[str] = []
        app.root.bind(current=self._visited)

    def _visited(self, *_args: object) -> None:
        self.visits += 1

    # ----- frames and touches ----------------------------------------------------------
    def frame(self) -> float:
        screen = self.app.root.current
        start = time.perf_counter()
        self.loop.idle()
        took = (time.perf_counter() - start) * 1000
        self.frames.setdefault(screen, []).append(took)
        return took

    def pump(self, frames: int = 2) -> None:
        for _ in range(frames):
            self.frame()

    def tap(self, widget, frames: int = 2) -> bool:  # noqa: ANN001
        from kivy.tests.common import UnitTestTouch
        from kivy.uix.scrollview import ScrollView

        from kiosk.pinyin_keyboard import ImeKey
        from kiosk.widgets import KeyButton, KeyPad

        if widget is None or widget.get_root_window() is None or widget.disabled or widget.opacity == 0:
            self.misses += 1
            return False
        x, y = widget.to_window(*widget.center)
        win = self.loop.window
        if not (0 <= x < win.width and 0 <= y < win.height):
            self.misses += 1
            return False
        is_key = isinstance(widget, (KeyButton, ImeKey)) or isinstance(widget.parent, KeyPad)
        touch = UnitTestTouch(x, y)
        self.taps += 1
        try:
            touch.touch_down()
            down = self.frame()
            touch.touch_up()
            up = self.frame()
            self.pump(frames)
        except Exception as exc:  # noqa: BLE001 - a soak reports failures, it does not stop
            self.errors.append(f"{type(exc).__name__}: {exc}"[:200])
            return False
        if is_key:
            self.key_down_ms.append(down)
            self.key_up_ms.append(up)
            self.key_screens.append(self.app.root.current)
            parent = widget.parent
            while parent is not None and parent is not parent.parent:
                if isinstance(parent, ScrollView):
                    self.keys_in_scroll += 1
                    break
                parent = parent.parent
        return True

    def swipe(self, up: bool = True) -> None:
        from kivy.tests.common import UnitTestTouch

        view = self.first_scroll()
        if view is None:
            return
        x, y = view.to_window(*view.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        self.frame()
        for step in range(1, 6):
            touch.touch_move(x, y + (40 * step if up else -40 * step))
            self.frame()
        touch.touch_up()
        self.pump(3)

    # ----- finding things on the current screen ------------------------------------------
    @property
    def screen(self):  # noqa: ANN201
        return self.app.root.current_screen

    def visible(self, widget) -> bool:  # noqa: ANN001
        if widget.get_root_window() is None or widget.disabled or widget.opacity == 0:
            return False
        x, y = widget.to_window(*widget.center)
        return 0 <= x < self.loop.window.width and 0 <= y < self.loop.window.height

    def buttons(self, cls=None):  # noqa: ANN001, ANN201
        from kivy.uix.button import Button

        from kiosk.widgets import Header

        header = [w for w in self.screen.walk(restrict=True) if isinstance(w, Header)]
        in_header = {id(w) for h in header for w in h.walk(restrict=True)}
        return [w for w in self.screen.walk(restrict=True)
                if isinstance(w, cls or Button) and id(w) not in in_header and self.visible(w)]

    def button_with(self, key: str):  # noqa: ANN201
        text = self.app.tr(key)
        hits = [b for b in self.buttons() if text and text in (b.text or "")]
        return hits[0] if hits else None

    def header_button(self, name: str):  # noqa: ANN201
        from kiosk.widgets import Header

        for header in (w for w in self.screen.walk(restrict=True) if isinstance(w, Header)):
            return header.ids.get(name)
        return None

    def first_scroll(self):  # noqa: ANN201
        from kivy.uix.scrollview import ScrollView

        views = [w for w in self.screen.walk(restrict=True) if isinstance(w, ScrollView) and self.visible(w)]
        return views[0] if views else None

    def keys(self):  # noqa: ANN201
        from kiosk.pinyin_keyboard import ImeKey
        from kiosk.widgets import KeyButton, KeyPad

        return [b for b in self.buttons() if isinstance(b, (KeyButton, ImeKey)) or isinstance(b.parent, KeyPad)]

    def home_tile(self, target: str):  # noqa: ANN201
        if self.app.root.current != "home":
            self.tap(self.header_button("home_button"))
        hits = [b for b in self.buttons() if getattr(b, "entry_target", None) == target]
        return hits[0] if hits else None

    def open(self, target: str) -> bool:
        return self.tap(self.home_tile(target), frames=3)

    def random_taps(self, count: int) -> None:
        for _ in range(count):
            choices = self.buttons()
            if not choices:
                return
            self.tap(self.rng.choice(choices))

    def type_keys(self, count: int) -> None:
        for _ in range(count):
            keys = self.keys()
            if not keys:
                return
            self.tap(self.rng.choice(keys), frames=0)
        self.pump(2)

    # ----- journeys --------------------------------------------------------------------------
    def browse_guides(self) -> None:
        if not self.open("guide_browse"):
            return
        self.random_taps(1)  # a topic or a type
        rows = [b for b in self.buttons() if hasattr(b, "item_code")]
        if rows:
            self.tap(self.rng.choice(rows), frames=3)
        if self.app.root.current == "guide_detail":
            for _ in range(self.rng.randint(1, 5)):
                self.tap(self.screen.ids.scroll_down, frames=2)
            self.swipe(up=False)
            self.swipe(up=True)

    def search_guides(self) -> None:
        if not self.open("guide_search"):
            return
        self.type_keys(self.rng.randint(2, 6))
        rows = [b for b in self.buttons() if hasattr(b, "item_code")]
        if rows:
            self.tap(self.rng.choice(rows), frames=3)

    def apply(self) -> None:
        if not self.open("apply_start"):
            return
        for _ in range(self.rng.randint(2, 6)):
            if self.keys():
                self.type_keys(self.rng.randint(3, 8))
            self.random_taps(1)

    def queue(self) -> None:
        if self.open("queue_take"):
            self.random_taps(self.rng.randint(1, 2))

    def track(self) -> None:
        if not self.open("track"):
            return
        self.tap(self.button_with("track.type_code"), frames=2)
        self.type_keys(9)
        self.tap(self.button_with("common.next"), frames=2)
        if self.screen.mode == "phone":
            self.type_keys(4)
            self.tap(self.button_with("track.search"), frames=3)
            for _ in range(20):
                if self.screen.mode != "loading":
                    break
                self.pump(1)
                time.sleep(0.01)

    def rate(self) -> None:
        if self.open("rate"):
            self.random_taps(self.rng.randint(1, 4))
            if self.keys():
                self.type_keys(self.rng.randint(2, 6))

    def notices(self) -> None:
        if self.open("notices"):
            self.swipe(up=True)
            self.swipe(up=False)

    def complain(self) -> None:
        if self.open("complain"):
            self.random_taps(self.rng.randint(1, 4))
            if self.keys():
                self.type_keys(self.rng.randint(2, 8))

    def idle(self) -> None:
        """Walk away: the kiosk's own idle timeout (and, half the time, attract mode) runs."""
        app = self.app
        app._last_activity -= app.settings.kiosk.idle_timeout + 1
        app.check_idle()
        self.pump(2)
        self.idle_samples.append((self.visits, rss_mb()))
        if app.settings.kiosk.attract_after and self.rng.random() < 0.5:
            app._last_activity -= app.settings.kiosk.attract_after + 1
            app.check_attract()
            self.pump(3)
            if app.root.current == "attract":
                self.tap(self.screen, frames=2)  # a touch ends attract mode

    def toggle(self) -> None:
        name = self.rng.choice(["large_text_button", "language_button"])
        self.tap(self.header_button(name), frames=3)

    JOURNEYS = (("browse_guides", 24), ("search_guides", 12), ("apply", 8), ("queue", 12), ("track", 10),
                ("rate", 6), ("notices", 6), ("complain", 4), ("idle", 8), ("toggle", 6))

    def walk(self) -> None:
        names = [n for n, _w in self.JOURNEYS]
        weights = [w for _n, w in self.JOURNEYS]
        journey = self.rng.choices(names, weights)[0]
        try:
            getattr(self, journey)()
            if self.rng.random() < 0.3:
                self.random_taps(1)
        except Exception as exc:  # noqa: BLE001
            self.errors.append(f"{journey}: {type(exc).__name__}: {exc}"[:200])
            self.app.go_home(clear=True)
            self.pump(2)


def observers(app) -> int:  # noqa: ANN001
    from kivy.uix.scrollview import ScrollView

    total = 0
    for screen in app.root.screens:
        for view in screen.walk(restrict=True):
            if isinstance(view, ScrollView):
                total += len(view.get_property_observers("bar_color"))
    return total


def child_soak(visits: int, seed: int, max_minutes: float) -> None:
    prepare_kivy()
    start = time.monotonic()
    from bianmin import i18n
    from bianmin.config import Config
    from bianmin.store import LocalStore
    from kiosk.app import BianminApp
    from kiosk.speech import Speaker
    from kiosk.tour import tour_plan

    home = Path(os.environ["BIANMIN_HOME"])
    app = BianminApp(config=Config(), store=LocalStore(home / "soak.sqlite3"), windowed=False)
    app._run_prepare()
    app.speaker = Speaker(runner=lambda argv: None, engine="espeak-ng")  # never start espeak-ng
    villager = Villager(app, seed)
    while not (app.catalogue_ready and app.screens_ready):
        villager.pump(1)
        if time.monotonic() - start > 180:
            raise SystemExit("catalogue/screens not ready after 180 s")
    result: dict[str, object] = {"renderer": gl_renderer(), "ready_s": time.monotonic() - start}
    villager.pump(10)
    result["home_mb"] = rss_mb()

    # 1. the first full visit: every screen state, both languages, both sizes
    plan = tour_plan(app)
    for large in (False, True):
        for lang in i18n.LANGUAGES:
            app.lang, app.large_text = lang, large
            for name, _suffix, params in plan:
                app.go_home(clear=True)
                app.go(name, **params)
                villager.pump(3)
    app.lang, app.large_text = i18n.DEFAULT_LANGUAGE, False
    app.go_home(clear=True)
    villager.pump(5)
    result["tour_states"] = len(plan) * 4
    result["first_full_mb"] = rss_mb()
    result["first_full_visits"] = villager.visits
    app._last_activity -= app.settings.kiosk.idle_timeout + 1
    app.check_idle()  # the kiosk's idle housekeeping (gc, malloc_trim), as after any visitor
    villager.pump(3)
    result["first_full_idle_mb"] = rss_mb()

    # 2. the villager
    villager.visits = 0
    villager.idle_samples.clear()
    samples: list[tuple[int, float]] = []
    next_sample = 0
    soak_start = time.monotonic()
    deadline = soak_start + max_minutes * 60
    while villager.visits < visits and time.monotonic() < deadline:
        villager.walk()
        if villager.visits >= next_sample:
            samples.append((villager.visits, rss_mb()))
            next_sample += SAMPLE_EVERY
            if villager.visits == 0:
                next_sample = SAMPLE_EVERY
        if villager.visits >= WARM_VISITS and "warm_mb" not in result:
            result["warm_mb"] = rss_mb()
            result["warm_observers"] = observers(app)
    app.go_home(clear=True)
    villager.pump(5)
    samples.append((villager.visits, rss_mb()))
    result.update(
        soak_s=time.monotonic() - soak_start, visits=villager.visits, visits_wanted=visits, taps=villager.taps, misses=villager.misses,
        errors=villager.errors[:10], error_count=len(villager.errors), samples=samples, end_mb=rss_mb(),
        idle_samples=villager.idle_samples,
        peak_mb=peak_mb(), end_observers=observers(app),
        frames={name: sorted(v) for name, v in villager.frames.items()},
        key_down_ms=villager.key_down_ms, key_up_ms=villager.key_up_ms, key_screens=villager.key_screens, keys_in_scroll=villager.keys_in_scroll,
    )
    emit(**result)
    app.stop()


# ----- parent ------------------------------------------------------------------------------
def spawn(args: list[str], driver: str, home: Path, timeout: float) -> dict:
    env = dict(os.environ, BIANMIN_HOME=str(home), SDL_VIDEODRIVER="offscreen", KIVY_NO_ARGS="1",
               GALLIUM_DRIVER=driver, LIBGL_ALWAYS_SOFTWARE="1")
    proc = subprocess.run([sys.executable, "-m", "bench.bench_soak", "--child", *args], env=env,
                          capture_output=True, text=True, timeout=timeout,
                          cwd=Path(__file__).resolve().parent.parent)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(MARK)]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{args} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1][len(MARK):])


def slope_per_1000(samples: list[list[float]]) -> float:
    points = [(v, mb) for v, mb in samples if v >= WARM_VISITS]
    if len(points) < 2:
        return float("nan")
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return 1000 * sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else float("nan")


def pct(values: list[float], p: float) -> float:
    from bench.report import percentile

    return percentile(values, p)


def section(driver: str, hello: dict, soak: dict) -> str:
    slope = slope_per_1000(soak["samples"])
    idle_slope = slope_per_1000(soak["idle_samples"])
    over = soak["first_full_mb"] - hello["rss_mb"]
    over_idle = soak["first_full_idle_mb"] - hello["rss_mb"]
    keys_down = soak["key_down_ms"]
    keys_up = soak["key_up_ms"]
    key_p95 = max(pct(keys_down, 95), pct(keys_up, 95)) if keys_down else float("nan")

    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    rows = "\n".join(
        f"| {name} | {len(times)} | {pct(times, 50):.1f} | {pct(times, 95):.1f} | {times[-1]:.0f} |"
        for name, times in sorted(soak["frames"].items(), key=lambda kv: -kv[1][-1])
    )
    curve = ", ".join(f"{int(v)}: {mb:.0f}" for v, mb in soak["samples"])
    return f"""
### `GALLIUM_DRIVER={driver}` (renderer: {soak['renderer']})

| measure | result | goal |
|---|---|---|
| bare Kivy "hello" app, RSS after 60 frames | {hello['rss_mb']:.0f} MB (peak {hello['peak_mb']:.0f} MB) | — |
| kiosk RSS at Home (everything ready, {soak['ready_s']:.1f} s after start) | {soak['home_mb']:.0f} MB | — |
| kiosk RSS after the first full visit ({soak['tour_states']} tour states: every screen state × 2 languages × 2 sizes) | {soak['first_full_mb']:.0f} MB = hello + {over:.0f} MB | — |
| … the same once the kiosk has gone idle (its gc + malloc_trim) | {soak['first_full_idle_mb']:.0f} MB = hello + {over_idle:.0f} MB | ≤ hello + {GOAL_OVER_HELLO_MB} MB: {verdict(over_idle <= GOAL_OVER_HELLO_MB)} |
| kiosk RSS after the villager's first {WARM_VISITS} visits (typing, scrolling, every journey) | {soak.get('warm_mb', float('nan')):.0f} MB | — |
| kiosk RSS after {soak['visits']:,} visits | {soak['end_mb']:.0f} MB (peak {soak['peak_mb']:.0f} MB) | — |
| slope of RSS sampled every {SAMPLE_EVERY} visits, after the first {WARM_VISITS} (least squares) | {slope:+.2f} MB per 1,000 visits | — |
| **slope** of RSS right after each idle timeout (what a kiosk keeps), after the first {WARM_VISITS} visits | **{idle_slope:+.2f} MB per 1,000 visits** ({len([1 for v, _m in soak['idle_samples'] if v >= WARM_VISITS])} samples) | ≤ {GOAL_SLOPE_MB} MB: {verdict(idle_slope <= GOAL_SLOPE_MB)} |
| ScrollView `bar_color` observers, all screens: after {WARM_VISITS} visits → end | {soak.get('warm_observers')} → {soak['end_observers']} | constant: {verdict(soak.get('warm_observers') == soak['end_observers'])} |
| key press → end of next frame, p95 / max ({len(keys_down):,} key taps) | {pct(keys_down, 95):.1f} ms / {max(keys_down or [0]):.0f} ms | — |
| key release → end of next frame, p95 / max | {pct(keys_up, 95):.1f} ms / {max(keys_up or [0]):.0f} ms | — |
| **key → next frame, p95 (worse of the two)** | **{key_p95:.1f} ms** | ≤ {GOAL_KEY_MS} ms: {verdict(key_p95 <= GOAL_KEY_MS)} |

{soak['visits']:,} visits (screen changes; {soak['visits_wanted']:,} wanted{', stopped by the time limit' if soak['visits'] < soak['visits_wanted'] else ''}) in {soak['soak_s'] / 60:.1f} min, {soak['taps']:,} taps, {soak['misses']:,} aimed
at something not on screen (skipped), {soak['error_count']} exceptions{': ' + '; '.join(soak['errors']) if soak['errors'] else ''}.
Key taps inside a scroll view: {soak['keys_in_scroll']} (Kivy hands a tap inside a ScrollView to the key
only when the finger lifts, its release 0.2 s later; the frame times above do not include that wait).
RSS (MB) by visits: {curve}.
RSS (MB) after idle, every ~10th: {", ".join(f"{int(v)}: {mb:.0f}" for v, mb in soak["idle_samples"][::10])}.

Frame times by screen (ms; all frames while that screen was current, including the frame that builds it):

| screen | frames | p50 | p95 | worst |
|---|---|---|---|---|
{rows}
"""


def main() -> int:
    from bench.report import write_section

    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=5000)
    parser.add_argument("--drivers", default="llvmpipe,softpipe")
    parser.add_argument("--softpipe-visits", type=int, default=0, help="fewer visits for the slow renderer")
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--max-minutes", type=float, default=120, help="stop the villager after this long")
    opts = parser.parse_args()
    for driver in opts.drivers.split(","):
        visits = opts.softpipe_visits if driver == "softpipe" and opts.softpipe_visits else opts.visits
        with tempfile.TemporaryDirectory(prefix="bianmin-soak-") as tmp:
            hello = spawn(["hello", "60"], driver, Path(tmp), timeout=300)
            soak = spawn(["soak", str(visits), str(opts.seed), str(opts.max_minutes)], driver, Path(tmp),
                         timeout=7200)
        part = section(driver, hello, soak)
        print(part, flush=True)
        write_section(f"soak-{driver}", f"Kiosk soak under {driver}", part, script="bench/bench_soak.py")
    body = f"""
Issue 20 / issue 12 §6. The real `BianminApp`, headless (SDL offscreen, Mesa software GL), 1280×800, no
frame cap, driven through Kivy's real input dispatch by `bench/bench_soak.py` (seed {opts.seed}); a bare Kivy
"hello" app in the same run for scale. RSS is the current resident set (VmRSS), not the peak.
Goals: after the first visit of every screen in every state RSS ≤ hello + {GOAL_OVER_HELLO_MB} MB (llvmpipe);
slope ≤ {GOAL_SLOPE_MB} MB per 1,000 visits; ScrollView observers constant; key press → next frame ≤ {GOAL_KEY_MS} ms p95.
Each renderer's numbers are in its own section below (`soak-llvmpipe`, `soak-softpipe`).
"""
    write_section("soak", "Kiosk soak: memory over thousands of visits, frame times", body)
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        if sys.argv[2] == "hello":
            child_hello(int(sys.argv[3]))
        else:
            child_soak(int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]))
        sys.exit(0)
    sys.exit(main())
