"""Elderly-friendly audit over EVERY registered screen (each tour state), in normal and 大字 mode:
touch targets at least ~15 mm, type that grows in 大字 mode, and a palette that passes WCAG AA."""

from __future__ import annotations

import pytest
from kivy.metrics import mm, sp
from kivy.uix.button import Button
from kivy.uix.label import Label

from kiosk import widgets
from kiosk.screens import SCREENS
from tests.kiosk.harness import pump, wait_until

pytestmark = pytest.mark.ui

MIN_TARGET = mm(15)
# Display-size text (the ticket number at ~200 sp, the 96 sp tracking code) is already as big
# as its box allows; it may give a little room to the larger text around it in 大字 mode.
DISPLAY_SIZE = sp(90)
TOLERANCE = 1.0  # pixels: layout rounding


def visible(widget) -> bool:  # noqa: ANN001
    w = widget
    while w is not None:
        if w.opacity <= 0:
            return False
        w = w.parent if w.parent is not w else None
    return widget.width > 1 and widget.height > 1


def settle(app, frames: int = 4) -> None:  # noqa: ANN001
    """Let the screen's background load come back (pump drains it) and lay out."""
    assert wait_until(lambda: app.root.current_screen.ready), f"{app.root.current} never became ready"
    pump(frames)


def visit(app, state, large: bool):  # noqa: ANN001, ANN201
    from kiosk.tour import show

    app.large_text = large
    app.poke()  # the walk takes minutes: never let the idle timeout or attract mode step in
    app.go_home(clear=True)
    show(app, state)
    settle(app)
    return app.root.current_screen


def all_states(app) -> list:  # noqa: ANN001
    from kiosk.tour import tour_plan

    return tour_plan(app)


def test_every_registered_screen_is_visited(app):
    names = {state.name for state in all_states(app)}
    assert names == {name for name, _m, _c in SCREENS}


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_touch_targets_at_least_15mm(app, large):
    offenders, checked = [], 0
    for state in all_states(app):
        name, suffix = state.name, state.suffix
        screen = visit(app, state, large)
        assert app.root.current == name, f"{name}{suffix} did not show"
        roots = [screen] + [w for w in app.root_window.children if w is not app.root]  # open dialogs
        for root in roots:
            for w in root.walk(restrict=True):
                if isinstance(w, Button) and visible(w):
                    checked += 1
                    if w.height + TOLERANCE < MIN_TARGET or w.width + TOLERANCE < MIN_TARGET:
                        offenders.append(f"{name}{suffix}: {type(w).__name__} {w.text[:20]!r} "
                                         f"{w.width:.0f}x{w.height:.0f}px < {MIN_TARGET:.0f}px")
    assert checked > 100, f"only {checked} buttons seen: the walk is broken"
    assert not offenders, "\n".join(offenders)


def label_sizes(screen) -> dict[tuple[str, str], float]:  # noqa: ANN001
    sizes = {}
    for w in screen.walk(restrict=True):
        if isinstance(w, Label) and visible(w) and w.text.strip():
            sizes[(type(w).__name__, w.text)] = float(w.font_size)
    return sizes


def test_type_grows_in_large_text_mode(app):
    app.lang = "zh_CN"
    problems = []
    for state in all_states(app):
        name, suffix = state.name, state.suffix
        normal = label_sizes(visit(app, state, False))
        large = label_sizes(visit(app, state, True))
        common = set(normal) & set(large)
        if not common:
            problems.append(f"{name}{suffix}: no text to compare")
            continue
        for key in common:
            if normal[key] < DISPLAY_SIZE and large[key] < normal[key] * 1.2:
                problems.append(f"{name}{suffix}: {key[0]} {key[1][:20]!r} {normal[key]:.0f} -> {large[key]:.0f}")
    app.large_text = False
    assert not problems, "\n".join(problems)


# ----- colour contrast (WCAG 2.x relative luminance) -------------------------------------------

def luminance(rgb) -> float:  # noqa: ANN001
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:  # noqa: ANN001
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


WHITE = (1, 1, 1)
PRESSED = lambda c: [x * 0.75 for x in c[:3]]  # noqa: E731 - ToneButton's pressed colour
KEY_LIGHT = (0.86, 0.89, 0.94)  # KeyButton 'key' background
KEY_DARK = (0.28, 0.28, 0.28)  # KeyButton 'action' background
LIST_PRESSED = (0.80, 0.85, 0.93)  # ListRow pressed

PAIRS = {
    "body text on white": (widgets.TEXT, WHITE),
    "muted text on white": (widgets.MUTED, WHITE),
    "primary text on white": (widgets.PRIMARY, WHITE),
    "ok text on white": (widgets.OK, WHITE),
    "warn text on white": (widgets.WARN, WHITE),
    "body text on surface": (widgets.TEXT, widgets.SURFACE),
    "muted text on surface": (widgets.MUTED, widgets.SURFACE),
    "primary text on surface": (widgets.PRIMARY, widgets.SURFACE),
    "warn text on surface": (widgets.WARN, widgets.SURFACE),
    "white on primary button / header": (WHITE, widgets.PRIMARY),
    "white on secondary button": (WHITE, widgets.MUTED),
    "white on ok button": (WHITE, widgets.OK),
    "white on warn button": (WHITE, widgets.WARN),
    "white on pressed primary": (WHITE, PRESSED(widgets.PRIMARY)),
    "white on pressed ok": (WHITE, PRESSED(widgets.OK)),
    "list row text on pressed row": (widgets.TEXT, LIST_PRESSED),
    "key text on key": (widgets.TEXT, KEY_LIGHT),
    "white on action key": (WHITE, KEY_DARK),
}


def test_contrast_formula_matches_wcag_reference():
    assert contrast((0, 0, 0), (1, 1, 1)) == pytest.approx(21.0)
    assert contrast((1, 1, 1), (1, 1, 1)) == pytest.approx(1.0)
    # #767676 on white is the classic "just passes AA" grey: 4.54:1
    assert contrast((0x76 / 255,) * 3, WHITE) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("pair", sorted(PAIRS))
def test_palette_pairs_pass_wcag_aa(pair):
    fg, bg = PAIRS[pair]
    assert contrast(fg, bg) >= 4.5, f"{pair}: {contrast(fg, bg):.2f}:1"


# ----- read aloud (朗读) ---------------------------------------------------------------------

STAFF_ONLY = {"staff_pin", "staff_home", "staff_queue", "staff_system", "staff_applications"}
NO_HEADER = {"attract"}  # the idle display: no header, any touch returns Home


def test_every_villager_screen_can_be_read_aloud(app):
    """Every screen a villager sees (guides, status, notices, forms) offers 朗读 with real text."""
    app.lang = "zh_CN"
    silent = []
    for state in all_states(app):
        name, suffix = state.name, state.suffix
        if name in STAFF_ONLY | NO_HEADER:
            continue
        screen = visit(app, state, False)
        text = screen.read_aloud_text()
        if len(text.strip()) < 4:
            silent.append(f"{name}{suffix}: {text!r}")
        else:
            headers = [w for w in screen.walk(restrict=True) if isinstance(w, widgets.Header)]
            if not headers or not all(h.read_aloud for h in headers):
                silent.append(f"{name}{suffix}: text but no 朗读 button")
    assert not silent, "\n".join(silent)
