"""The kiosk's queue plumbing: one worker thread, the now-serving banner, voice calls.

Screens never touch SQLite, the printer or speech on the UI thread: they hand a
function to ``run_in_worker`` and get its result back on the UI thread through
the Kivy Clock. One worker thread keeps queue operations in tap order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from kivy.clock import Clock

from bianmin import i18n
from bianmin.local.queue import QueueService, Ticket, spoken_number

log = logging.getLogger(__name__)

_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="queue")
REFRESH_SECONDS = 60  # the banner follows midnight rollover and other kiosks' calls


def run_in_worker(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    """Run ``fn`` off the UI thread; call ``on_done(result)`` (or ``on_error``) on the UI thread."""

    def job() -> None:
        try:
            result = fn()
        except Exception as exc:  # reported on the UI thread as a plain message, never a traceback
            log.exception("queue worker failed")
            if on_error is not None:
                Clock.schedule_once(lambda _dt, e=exc: on_error(e), 0)
            return
        Clock.schedule_once(lambda _dt: on_done(result), 0)

    _worker.submit(job)


def get_queue(app) -> QueueService:  # noqa: ANN001 - the running BianminApp
    """The app's QueueService, created on first use (tests may set ``app.queue`` first)."""
    service = getattr(app, "queue", None)
    if service is None:
        service = QueueService(app.store, app.settings)
        app.queue = service
    return service


def start(app) -> None:  # noqa: ANN001
    """Show today's now-serving numbers after a restart and keep them fresh."""
    if getattr(app, "_queue_started", False):
        return
    app._queue_started = True
    get_queue(app)
    refresh_now_serving(app)
    Clock.schedule_interval(lambda _dt: refresh_now_serving(app), REFRESH_SECONDS)
    app.bind(lang=lambda *_a: refresh_now_serving(app))


def now_serving_text(tickets: list[Ticket], lang: str) -> str:
    return "   ".join(
        i18n.translate("queue.serving_item", lang, number=t.number_text, window=t.window) for t in tickets
    )


def refresh_now_serving(app) -> None:  # noqa: ANN001
    service = get_queue(app)
    run_in_worker(service.now_serving, lambda tickets: setattr(app, "now_serving", now_serving_text(tickets, app.lang)))


def request_sync(app) -> None:  # noqa: ANN001
    """A ticket changed: ask the sync worker (if any) to upload soon; never waits."""
    request = getattr(app, "request_sync", None)
    if request is not None:
        request()


def call_text(ticket: Ticket, lang: str) -> str:
    """请 A 零一二 号到 1 号窗口办理."""
    return i18n.translate("queue.call_voice", lang, number=spoken_number(ticket.line, ticket.number, lang),
                          window=ticket.window)


def announce(app, ticket: Ticket) -> bool:  # noqa: ANN001
    """Say the call twice after a chime, in the room's language; never blocks (Speaker queues it)."""
    speaker = getattr(app, "speaker", None)
    if speaker is None:
        return False
    lang = app.settings.kiosk.language
    try:
        return bool(speaker.say(call_text(ticket, lang), lang=lang, repeat=2, chime=True))
    except Exception:  # a broken speech engine must not stop the calling
        log.exception("speech failed")
        return False
