"""Attract mode: Home left alone cycles gently through now-serving and the notices.

Reached only from Home after ``[kiosk] attract_after`` idle seconds (app.check_attract);
any touch returns to Home. Nothing personal is ever shown: the slides are the
now-serving banner and the public notice (公开公示), which are public anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

from kivy.clock import Clock
from kivy.properties import NumericProperty, StringProperty

from bianmin.i18n import translate
from bianmin.public_notice import PublicNotice, build_public_notice
from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)

SLIDE_SECONDS = 8.0
MAX_COUNTY_NOTICES = 3


@dataclass(frozen=True)
class Slide:
    title: str
    body: str


def attract_slides(notice: PublicNotice | None, now_serving: str, lang: str) -> list[Slide]:
    """The slides, in order: who is being served, today's agents, free service, notices, phones."""
    def tr(key: str, **fmt: object) -> str:
        return translate(key, lang, **fmt)

    slides = []
    if now_serving.strip():
        slides.append(Slide(tr("attract.now_serving"), now_serving))
    if notice is not None and notice.agents_on_duty:
        names = "\n".join(f"{a.name}  {a.position}".strip() for a in notice.agents_on_duty)
        slides.append(Slide(tr("notices.on_duty_today"), names))
    slides.append(Slide(tr("notices.fees_title"), tr("notices.fee_statement")))
    if notice is not None:
        for title, body in notice.notices[:MAX_COUNTY_NOTICES]:
            slides.append(Slide(title, body))
        slides.append(Slide(tr("notices.phones_title"),
                            tr("notices.phones", complaint=notice.complaint_phone,
                               supervision=notice.supervision_phone)))
    return slides


def _load_notice(app) -> PublicNotice | None:  # noqa: ANN001 - worker thread
    from kiosk.screens.notices import _cached

    return build_public_notice(app.settings, _cached(app.store, "roster"), _cached(app.store, "notices"),
                               app.catalogue)


class AttractScreen(KioskScreen):
    title_text = StringProperty("")
    body_text = StringProperty("")
    index = NumericProperty(0)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.slides: list[Slide] = []
        self._event = None

    def on_pre_enter(self, *args: object) -> None:
        super().on_pre_enter(*args)
        self.slides = attract_slides(None, self.app.now_serving, self.app.lang)
        self.index = 0
        self._show()
        app = self.app
        self.load_in_background(lambda: _load_notice(app), self._loaded)
        self._event = Clock.schedule_interval(self.advance, SLIDE_SECONDS)

    def _loaded(self, notice: PublicNotice | None) -> None:
        if self.manager is None or self.manager.current != self.name:
            return
        self.slides = attract_slides(notice, self.app.now_serving, self.app.lang)
        self._show()

    def advance(self, *_args: object) -> None:
        if self.slides:
            self.index = (self.index + 1) % len(self.slides)
            self._show()

    def _show(self) -> None:
        slide = self.slides[self.index % len(self.slides)] if self.slides else Slide("", "")
        self.title_text, self.body_text = slide.title, slide.body

    def on_leave(self, *_args: object) -> None:
        if self._event is not None:
            self._event.cancel()
            self._event = None

    def on_touch_down(self, touch) -> bool:  # noqa: ANN001
        self.app.go_home(clear=True)
        return True  # the touch only wakes the kiosk; it never presses what Home shows next
