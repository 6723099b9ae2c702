"""The kiosk's queue plumbing: the now-serving banner and voice calls.

Screens never touch SQLite, the printer or speech on the UI thread: queue work
goes through ``app.runtime.run`` (kiosk/runtime.py), whose one worker keeps
queue operations in tap order and returns results through the Kivy Clock.
"""

from __future__ import annotations

import logging

from kivy.clock import Clock

from bianmin import i18n
from bianmin.local.queue import QueueService, Ticket, spoken_number

log = logging.getLogger(__name__)

REFRESH_SECONDS = 60  # the banner follows midnight rollover and other kiosks' calls


def get_queue(app) -> QueueService:  # noqa: ANN001 - the running BianminApp
    """The app's QueueService (``app.runtime.queue``; tests may replace ``app.queue``)."""
    return app.queue


def start(app) -> None:  # noqa: ANN001
    """Show today's now-serving numbers after a restart and keep them fresh."""
    if app.now_serving_refresh is not None:
        return
    refresh_now_serving(app)
    app.now_serving_refresh = Clock.schedule_interval(lambda _dt: refresh_now_serving(app), REFRESH_SECONDS)
    app.bind(lang=lambda *_a: refresh_now_serving(app))


def now_serving_text(tickets: list[Ticket], lang: str) -> str:
    return "   ".join(
        i18n.translate("queue.serving_item", lang, number=t.number_text, window=t.window) for t in tickets
    )


def refresh_now_serving(app) -> None:  # noqa: ANN001
    service = get_queue(app)
    app.runtime.run(service.now_serving,
                    lambda tickets: setattr(app, "now_serving", now_serving_text(tickets, app.lang)))


def request_sync(app) -> None:  # noqa: ANN001
    """A ticket changed: ask the sync worker (if any) to upload soon; never waits."""
    app.request_sync()


def call_text(ticket: Ticket, lang: str) -> str:
    """请 A 零一二 号到 1 号窗口办理."""
    return i18n.translate("queue.call_voice", lang, number=spoken_number(ticket.line, ticket.number, lang),
                          window=ticket.window)


def announce(app, ticket: Ticket) -> bool:  # noqa: ANN001
    """Say the call twice after a chime, in the room's language; never blocks (Speaker queues it)."""
    speaker = app.speaker
    if speaker is None:
        return False
    lang = app.settings.kiosk.language
    try:
        return bool(speaker.say(call_text(ticket, lang), lang=lang, repeat=2, chime=True))
    except Exception:  # a broken speech engine must not stop the calling
        log.exception("speech failed")
        return False
