"""The screenshot tour: every screen, every tour state, both languages, one PNG each."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from bianmin import i18n
from bianmin.config import Config

log = logging.getLogger(__name__)
CATALOGUE_WAIT = 60.0  # seconds; a slow machine parsing a large catalogue
SCREEN_WAIT = 20.0  # seconds for one screen's background load on a busy machine


def tour_plan(app) -> list[tuple[str, str, dict]]:  # noqa: ANN001
    """(screen name, file suffix, params) for every screen's tour states."""
    plan = []
    for screen in app.screen_manager.screens:
        for suffix, params in screen.tour_states():
            plan.append((screen.name, suffix, params))
    return plan


def run_tour(config: Config, out_dir: Path, sizes: tuple[bool, ...] = (False, True)) -> int:
    """Visit every tour state; shoot each screen once it says it is ``ready``.

    A screen still not ready after ``SCREEN_WAIT`` seconds is named in the log and
    the tour exits non-zero: a blank or half-loaded screenshot is never written silently.
    """
    from kivy.clock import Clock

    from kiosk.app import BianminApp
    from kiosk.runtime import KioskRuntime

    out_dir.mkdir(parents=True, exist_ok=True)
    app = BianminApp(runtime=KioskRuntime(config), windowed=True)
    written: list[Path] = []
    late: list[str] = []
    steps: list = []

    def shoot(name: str, suffix: str, lang: str, large: bool) -> None:
        tag = "-large" if large else ""
        path = out_dir / f"{name}{suffix}-{lang}{tag}.png"
        app.root.export_to_png(str(path))
        written.append(path)

    started = [time.monotonic()]

    def plan_steps(_dt: float) -> None:
        # Tour states may depend on the catalogue (e.g. a 低保 item's detail): wait for it.
        if not (app.catalogue_ready and app.screens_ready):
            if time.monotonic() - started[0] < CATALOGUE_WAIT:
                Clock.schedule_once(plan_steps, 0.1)
                return
            log.error("screenshot tour: catalogue or screens not ready after %.0f s", CATALOGUE_WAIT)
            late.append("catalogue")
        for large in sizes:
            for lang in i18n.LANGUAGES:
                for name, suffix, params in tour_plan(app):
                    steps.append((name, suffix, params, lang, large))
        Clock.schedule_once(next_step, 0)

    def next_step(_dt: float) -> None:
        if not steps:
            app.stop()
            return
        name, suffix, params, lang, large = steps.pop(0)
        app.lang = lang
        app.large_text = large
        app.poke()  # a long tour must not meet the idle timeout or attract mode
        app.go_home(clear=True)
        app.go(name, **params)
        started[0] = time.monotonic()
        label = f"{name}{suffix} ({lang}{', 大字' if large else ''})"

        def when_ready(_dt: float) -> None:
            screen = app.root.current_screen
            if not screen.ready:
                if time.monotonic() - started[0] < SCREEN_WAIT:
                    Clock.schedule_once(when_ready, 0.05)
                    return
                log.error("screenshot tour: %s not ready after %.0f s", label, SCREEN_WAIT)
                late.append(label)
            # Ready: its data is in properties; two more frames lay it out and draw it.
            shoot_after = Clock.frames + 2

            def when_drawn(_dt: float) -> None:
                if Clock.frames < shoot_after:
                    Clock.schedule_once(when_drawn, 0)
                    return
                shoot(name, suffix, lang, large)
                Clock.schedule_once(next_step, 0)

            Clock.schedule_once(when_drawn, 0)

        Clock.schedule_once(when_ready, 0)

    Clock.schedule_once(plan_steps, 0)
    app.run()
    print(f"screenshot tour: {len(written)} PNGs in {out_dir}")
    if late:
        print("screenshot tour: not ready in time: " + "; ".join(late))
    return 0 if written and not late else 1
