"""The screenshot tour: every screen, every tour state, both languages, one PNG each; and the
receipt slip as the printer would print it.

The states and their sample data live here, not in the screens: a state is navigation
parameters plus, where needed, a step before ``app.go`` (fill the wizard's draft) or
after it (drive the screen through its own methods, as a villager's taps would).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from bianmin import i18n, paths
from bianmin.config import Config

log = logging.getLogger(__name__)
CATALOGUE_WAIT = 60.0  # seconds; a slow machine parsing a large catalogue
SCREEN_WAIT = 20.0  # seconds for one screen's background load on a busy machine


class TourState(NamedTuple):
    """One screenshot: ``before(app)`` runs before ``app.go(name, **params)``, ``after(screen)`` after."""

    name: str
    suffix: str
    params: dict
    before: Callable[[Any], None] | None = None
    after: Callable[[Any], None] | None = None


# ----- sample data (the tour's own; nothing here is written to the store) ---------------------
DETAIL_QUERY = "最低生活保障申请"  # a representative 低保 item
SAMPLE_ROSTER = paths.ASSETS / "samples" / "roster.json"
SAMPLE_NAME, SAMPLE_PHONE, SAMPLE_ID = "王秀英", "13800138000", "11010519491231002X"
SAMPLE_APPLICATION_UUID = "00000000-0000-4000-8000-000000000001"
SAMPLE_ITEM_NAME = "城乡居民养老保险参保登记"


def _sample_item(app: Any) -> Any:
    """An item with required materials (None: no catalogue)."""
    items = app.catalogue_items()
    for item in items:
        if item.item_type in ("proxy", "remote") and len(item.required_materials) >= 2:
            return item
    return items[0] if items else None


def _fill_draft(app: Any, with_errors: bool = False, consent: bool = True) -> None:
    """The wizard's draft as a sample villager left it at a later step."""
    from kiosk.screens.apply_common import draft

    item = _sample_item(app)
    if item is None:
        return
    draft.start(item)
    if item.materials:
        draft.brought = {item.materials[0].name}
    draft.name = SAMPLE_NAME
    draft.phone = "1380013800" if with_errors else SAMPLE_PHONE  # one digit short: the error shown
    draft.id_number = "110105194912310021" if with_errors else SAMPLE_ID
    draft.note = ""
    if with_errors:
        draft.validate_who()
    elif consent:
        draft.give_consent()


def _tracking_sample(state: str) -> Any:
    from bianmin.local import tracking

    view = tracking.TrackingView(
        token="x" * 22, item_name=SAMPLE_ITEM_NAME, masked_name="王*英", status="completed",
        timeline=[tracking.TimelineEntry("submitted", "2026-11-02T09:15:00+08:00"),
                  tracking.TimelineEntry("accepted", "2026-11-02T10:02:00+08:00"),
                  tracking.TimelineEntry("forwarded", "2026-11-03T15:40:00+08:00", "已报送巴彦苏木"),
                  tracking.TimelineEntry("completed", "2026-11-06T11:20:00+08:00")],
        due_date="2026-11-09", pickup="巴彦嘎查村委会一楼 周一至周五 8:30-12:00",
        application_uuid=SAMPLE_APPLICATION_UUID,
    )
    if state == "offline":
        view.status = "awaiting_materials"
        view.timeline = view.timeline[:1] + [
            tracking.TimelineEntry("awaiting_materials", "2026-11-02T10:02:00+08:00")]
        view.missing_materials = ["户口簿复印件 1 份", "一寸照片 2 张"]
        view.source = "cache"
        view.as_of = datetime.now().astimezone().replace(hour=10, minute=32).isoformat()
    return view


def _track_code(screen: Any) -> None:
    screen.mode, screen.code = "code", "7KQ2M9"


def _track_not_found(screen: Any) -> None:
    screen.message_key, screen.mode = "track.not_found", "not_found"


def _rate_bad(screen: Any) -> None:
    screen.choose(1)
    screen.toggle_reason("slow")


def _rate_text(screen: Any) -> None:
    screen.choose(2)
    screen.writing = True
    if screen.keyboard is not None:
        screen.keyboard.set_text("等了很久")


def _complaint_filled(screen: Any) -> None:
    screen.category, screen.text, screen.contact = "delay", "材料交齐两周了还没有消息", "1380013"
    if screen.keyboard is not None:
        screen.keyboard.set_text(screen.text)


def _sample_ticket(screen: Any) -> None:
    line = next(iter(screen.app.queue.lines.values()))
    screen.show_values(line.prefix, 12, line.label, line.window, people_ahead=3, minutes=15)
    screen.set_print_state("printed")


def _sample_receipt(screen: Any) -> None:
    from bianmin.domain.tracking import check_symbol

    body = "7K3M9Q2T"
    screen.show_receipt(body + check_symbol(body), 5, date.today() + timedelta(days=7), "awaiting_materials",
                        ["户口簿"], "sent")


# ----- which states each screen shows -------------------------------------------------------
def _states(app: Any, name: str) -> list[TourState]:  # noqa: C901 - one plain branch per screen
    def s(suffix: str = "", params: dict | None = None, before=None, after=None) -> TourState:  # noqa: ANN001
        return TourState(name, suffix, params or {}, before, after)

    if name == "guide_detail":
        hits = app.search.search(DETAIL_QUERY, 1) if app.search is not None else []
        if not hits:
            return [s("-missing", {"item_code": "NO0000"})]
        code = hits[0].item.code
        return [s("-dibao", {"item_code": code}), s("-dibao-end", {"item_code": code, "scroll": 0.0})]
    if name == "guide_list":
        return [s("-type", {"item_type": "proxy"}), s("-topic", {"topic": "民政救助"}), s("-search", {"query": "低保"})]
    if name == "guide_search":
        return [s(), s("-db", {"query": "db"}), s("-dibao", {"query": "dibao"})]
    if name == "notices":
        states = [s()]
        if SAMPLE_ROSTER.exists():
            states.append(s("-roster", {"preview_roster": json.loads(SAMPLE_ROSTER.read_text(encoding="utf-8"))}))
        return states
    if name == "queue_take":
        queue = app.queue
        code = next((i.code for i in app.catalogue_items() if queue.line_for_item(i) is not None), None)
        return [s()] + ([s("-from-guide", {"item_code": code})] if code else [])
    if name == "queue_ticket":
        return [s(after=_sample_ticket)]
    if name == "apply_start":
        item = _sample_item(app)
        states = [s("-no-item")]
        if item is not None:
            states += [s("", {"item_code": item.code}), s("-ticked", before=_fill_draft)]
        return states
    if name == "apply_who":
        return [s(before=_fill_draft), s("-errors", before=lambda a: _fill_draft(a, with_errors=True))]
    if name == "apply_consent":
        return [s(before=lambda a: _fill_draft(a, consent=False))]
    if name == "apply_confirm":
        return [s(before=_fill_draft)]
    if name == "apply_done":
        return [s(after=_sample_receipt)]
    if name == "track":
        return [s(), s("-code", after=_track_code),
                s("-result", after=lambda scr: scr.show_view(_tracking_sample("result"))),
                s("-offline", after=lambda scr: scr.show_view(_tracking_sample("offline"))),
                s("-not-found", after=_track_not_found)]
    if name == "rate":
        return [s(), s("-bad", {"item_name": SAMPLE_ITEM_NAME, "application_uuid": SAMPLE_APPLICATION_UUID},
                       after=_rate_bad),
                s("-text", after=_rate_text), s("-thanks", after=lambda scr: setattr(scr, "done_key", "rate.thanks_bad"))]
    if name == "complain":
        return [s(), s("-filled", after=_complaint_filled), s("-thanks", after=lambda scr: setattr(scr, "done", True))]
    return [s()]


def tour_plan(app: Any) -> list[TourState]:
    """Every tour state of every registered screen (call once the catalogue and screens are ready)."""
    return [state for screen in app.screen_manager.screens for state in _states(app, screen.name)]


def show(app: Any, state: TourState) -> Any:
    """Put the kiosk in one tour state (after ``app.go_home(clear=True)``); returns the screen."""
    from kiosk.staff import StaffScreen, begin_session

    if state.before is not None:
        state.before(app)
    if isinstance(app.screen_manager.get_screen(state.name), StaffScreen):
        begin_session(app)  # what a correct PIN does: the tour shows the staff panels themselves
    app.go(state.name, **state.params)
    screen = app.screen_manager.get_screen(state.name)
    if state.after is not None:
        state.after(screen)
    return screen


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
    slips = write_slip_previews(config, out_dir)
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
                for state in tour_plan(app):
                    steps.append((state, lang, large))
        Clock.schedule_once(next_step, 0)

    def next_step(_dt: float) -> None:
        if not steps:
            app.stop()
            return
        state, lang, large = steps.pop(0)
        name, suffix = state.name, state.suffix
        app.lang = lang
        app.large_text = large
        app.poke()  # a long tour must not meet the idle timeout or attract mode
        app.go_home(clear=True)
        show(app, state)
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
    print(f"screenshot tour: {len(written)} PNGs and {len(slips)} slip previews in {out_dir}")
    if late:
        print("screenshot tour: not ready in time: " + "; ".join(late))
    return 0 if written and not late else 1


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
