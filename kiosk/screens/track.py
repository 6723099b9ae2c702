"""查询进度: scan the slip (USB scanner or camera) or type the short code + phone digits.

Scanner input arrives as keystrokes with no visible text field (``WedgeReader``);
a camera, when there is one, is decoded in a worker. The status comes from the
server in a worker thread; offline, the last synced copy with its time, or the
kiosk's own record if it never reached the server.
"""

from __future__ import annotations

from datetime import datetime

from kivy.properties import BooleanProperty, ListProperty, ObjectProperty, StringProperty

from bianmin.domain.lifecycle import VILLAGER_LABEL_KEYS, Status
from bianmin.domain.tracking import CROCKFORD, format_short_code, normalise_short_code
from bianmin.local import tracking
from kiosk.scanner import CameraScanner, WedgeReader, camera_available
from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)

CODE_LENGTH = 9
# Everything a short code can contain: Crockford base32 (new codes never end in *~$=U).
PAD_SYMBOLS = CROCKFORD


def status_key(status: str) -> str:
    """The villager label's translation key (status.*), also for a state this kiosk does not know."""
    try:
        return VILLAGER_LABEL_KEYS[Status(status)]
    except ValueError:
        return VILLAGER_LABEL_KEYS[Status.SUBMITTED]


def _local_time(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%H:%M")
    except ValueError:
        return ""


def _local_date(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%m-%d %H:%M")
    except ValueError:
        return iso[:10]


class TrackScreen(KioskScreen):
    # scan | code | phone | loading | result | not_found | limited
    mode = StringProperty("scan")
    code = StringProperty("")
    last4 = StringProperty("")
    message_key = StringProperty("")
    view = ObjectProperty(None, allownone=True)
    has_camera = BooleanProperty(False)
    timeline_lines = ListProperty([])
    # mode == "result" with a view: the result widgets show (kv reads this one flag)
    showing_result = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.reader = WedgeReader(self.on_scanned)
        self.camera_scanner: CameraScanner | None = None
        self.fetcher = None  # tests inject a fake; default asks the configured server
        self._generation = 0

    # ----- lifecycle -----------------------------------------------------------------
    def on_kv_post(self, *_args: object) -> None:
        self.bind(mode=self._sync_result, view=self._sync_result)

    def _sync_result(self, *_args: object) -> None:
        self.showing_result = self.mode == "result" and self.view is not None

    def on_enter(self, *_args: object) -> None:
        self.reader.start()
        self._start_camera()

    def on_leave(self, *_args: object) -> None:
        self.reader.stop()
        if self.camera_scanner is not None:
            self.camera_scanner.stop()
            self.camera_scanner.camera.play = False

    def _start_camera(self) -> None:
        if not camera_available():
            self.has_camera = False
            return
        try:
            if self.camera_scanner is None:
                from kivy.uix.camera import Camera

                camera = Camera(play=False, resolution=(640, 480))
                self.ids.camera_box.add_widget(camera)
                self.camera_scanner = CameraScanner(camera, self.on_scanned)
            self.camera_scanner.camera.play = True
            self.camera_scanner.start()
            self.has_camera = True
        except Exception:  # no usable camera provider: the scanner and the pad still work
            self.has_camera = False

    def clear_inputs(self) -> None:
        self._generation += 1  # a late answer from the server is dropped
        self.mode = "scan"
        self.code = ""
        self.last4 = ""
        self.message_key = ""
        self.view = None
        self.timeline_lines = []
        self.reader.buffer.clear()

    def set_params(self, **params: object) -> None:
        self.clear_inputs()

    def read_aloud_text(self) -> str:
        if self.mode == "result" and self.view is not None:
            return self.status_text()
        return self.app.tr("track.read_aloud")

    # ----- input ---------------------------------------------------------------------
    def on_scanned(self, text: str) -> None:
        """A full line from the scanner or a decoded camera frame."""
        if self.mode == "loading":
            return
        token = tracking.token_from_scan(text)
        if token:
            self.start_lookup(token=token)
            return
        if tracking.short_code_from_scan(text):
            self.code = tracking.short_code_from_scan(text) or ""
            self.mode = "phone"
            return
        self.message_key = "track.bad_scan"
        self.mode = "not_found"

    def show_code_pad(self) -> None:
        self.code = ""
        self.last4 = ""
        self.message_key = ""
        self.mode = "code"

    def press_code(self, symbol: str) -> None:
        if len(self.code) < CODE_LENGTH:
            self.code += symbol

    def backspace_code(self) -> None:
        self.code = self.code[:-1]

    def confirm_code(self) -> None:
        if normalise_short_code(self.code) is None:
            self.message_key = "track.bad_code"
            return
        self.message_key = ""
        self.mode = "phone"

    def press_digit(self, digit: str) -> None:
        if len(self.last4) < 4:
            self.last4 += digit

    def backspace_digit(self) -> None:
        self.last4 = self.last4[:-1]

    def confirm_phone(self) -> None:
        if len(self.last4) != 4:
            self.message_key = "track.need_last4"
            return
        self.start_lookup(short_code=normalise_short_code(self.code), last4=self.last4)

    # ----- lookup (worker thread) ----------------------------------------------------
    def _fetcher(self):  # noqa: ANN202
        if self.fetcher is not None:
            return self.fetcher
        server = self.app.settings.server
        if not server.url:
            return None
        from server_client.tracking import TrackingClient

        return TrackingClient(server.url, server.device_token)

    def start_lookup(self, token: str | None = None, short_code: str | None = None, last4: str = "") -> None:
        self._generation += 1
        generation = self._generation
        self.mode = "loading"
        self.message_key = ""
        fetch = self._fetcher()
        store = self.app.store

        def work() -> tracking.TrackingView:
            return tracking.lookup(store, fetch, token=token, short_code=short_code, last4=last4)

        def failed(exc: BaseException) -> None:  # never a traceback on screen
            key = "track.rate_limited" if isinstance(exc, tracking.RateLimited) else "track.not_found"
            self._done(generation, None, key)

        self.app.runtime.run(work, lambda view: self._done(generation, view, ""), failed)

    def _done(self, generation: int, view: tracking.TrackingView | None, message_key: str) -> None:
        if generation != self._generation:
            return
        if view is None:
            self.message_key = message_key
            self.mode = "limited" if message_key == "track.rate_limited" else "not_found"
            return
        self.show_view(view)

    def show_view(self, view: tracking.TrackingView) -> None:
        tr = self.app.tr
        self.timeline_lines = [
            f"{_local_date(e.at)}  {tr(status_key(e.status))}" + (f"：{e.note}" if e.note else "")
            for e in view.timeline
        ]
        self.view = view
        self.mode = "result"

    # ----- text for the kv -------------------------------------------------------------
    # kv passes the properties a text depends on (view, app.lang) so it rebinds on change;
    # the methods read them from self.
    def display_code(self, *_deps: object) -> str:
        padded = self.code + "_" * (CODE_LENGTH - len(self.code))
        return format_short_code(padded)

    @staticmethod
    def formatted_code(code: str) -> str:
        return format_short_code(code) if code else ""

    @staticmethod
    def status_key_of(view: tracking.TrackingView | None) -> str:
        return status_key(view.status) if view is not None else VILLAGER_LABEL_KEYS[Status.SUBMITTED]

    def status_text(self) -> str:
        if self.view is None:
            return ""
        return self.app.tr("track.status_line", item=self.view.item_name,
                           status=self.app.tr(status_key(self.view.status)))

    def freshness_text(self, *_deps: object) -> str:
        view = self.view
        if view is None or view.source == "server":
            return ""
        if view.source == "cache":
            return self.app.tr("track.as_of", time=_local_time(view.as_of))
        return self.app.tr("track.local_only")

    def due_text(self, *_deps: object) -> str:
        view = self.view
        if view is None or not view.due_date:
            return ""
        key = "track.overdue" if view.overdue else "track.due"
        return self.app.tr(key, date=view.due_date)

    def missing_text(self, *_deps: object) -> str:
        view = self.view
        if view is None or view.status != "awaiting_materials" or not view.missing_materials:
            return ""
        return "\n".join("· " + name for name in view.missing_materials)

    def pickup_text(self, *_deps: object) -> str:
        view = self.view
        if view is None or view.status not in ("ready_for_pickup", "approved") or not view.pickup:
            return ""
        return self.app.tr("track.pickup", where=view.pickup)

    def can_rate(self, *_deps: object) -> bool:
        return bool(self.view and self.view.status == "completed" and not self.view.rated
                    and self.view.application_uuid and self.app.has_screen("rate"))

    def rate(self) -> None:
        if self.can_rate():
            self.app.go("rate", application_uuid=self.view.application_uuid, item_name=self.view.item_name)

