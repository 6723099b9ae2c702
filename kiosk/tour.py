"""The screenshot tour: every screen, every tour state, both languages, one PNG each; and the
receipt slip as the printer would print it."""

from __future__ import annotations

import logging
from pathlib import Path

from bianmin import i18n
from bianmin.config import Config

log = logging.getLogger(__name__)
CATALOGUE_WAIT = 60.0  # seconds; a slow machine parsing a large catalogue


def tour_plan(app) -> list[tuple[str, str, dict]]:  # noqa: ANN001
    """(screen name, file suffix, params) for every screen's tour states."""
    plan = []
    for screen in app.screen_manager.screens:
        for suffix, params in screen.tour_states():
            plan.append((screen.name, suffix, params))
    return plan


def run_tour(config: Config, out_dir: Path, sizes: tuple[bool, ...] = (False, True)) -> int:
    from kivy.clock import Clock

    from kiosk.app import BianminApp

    out_dir.mkdir(parents=True, exist_ok=True)
    app = BianminApp(config=config, windowed=True)
    slips = write_slip_previews(config, out_dir)
    written: list[Path] = []
    steps: list = []

    def shoot(name: str, suffix: str, lang: str, large: bool) -> None:
        tag = "-large" if large else ""
        path = out_dir / f"{name}{suffix}-{lang}{tag}.png"
        app.root.export_to_png(str(path))
        written.append(path)

    waited = [0.0]

    def plan_steps(dt: float) -> None:
        # Tour states may depend on the catalogue (e.g. a 低保 item's detail): wait for it.
        waited[0] += dt
        if not (app.catalogue_ready and app.screens_ready) and waited[0] < CATALOGUE_WAIT:
            Clock.schedule_once(plan_steps, 0.1)
            return
        for large in sizes:
            for lang in i18n.LANGUAGES:
                for name, suffix, params in tour_plan(app):
                    steps.append((name, suffix, params, lang, large))
        Clock.schedule_once(next_step, 0.3)

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
        Clock.schedule_once(lambda _dt: (shoot(name, suffix, lang, large), Clock.schedule_once(next_step, 0)), 0.25)

    Clock.schedule_once(plan_steps, 0.5)
    app.run()
    print(f"screenshot tour: {len(written)} PNGs and {len(slips)} slip previews in {out_dir}")
    return 0 if written else 1


def write_slip_previews(config: Config, out_dir: Path) -> list[Path]:
    """The receipt slip as the configured printer would print it (raster), one PNG per language,
    through the printer's own ``preview://`` link: the README shows a slip beside the screens."""
    from printer.links import make_link
    from printer.samples import sample_receipt
    from printer.send import send_slip

    slip = sample_receipt(config.room, config.kiosk.public_base_url)
    written = []
    with make_link(f"preview://{out_dir.resolve()}") as link:
        for lang in i18n.LANGUAGES:
            result = send_slip(link, slip, config.printer.width, "raster", lang, name=f"slip-receipt-{lang}")
            written.append(result.preview)
    return written
