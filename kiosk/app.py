"""The kiosk application: kiosk mode, navigation, language, idle timeout, app state.

App state that screens show lives in Kivy properties here (language, 大字 mode,
now serving, online, pending uploads, catalogue). Services and background work
belong to the ``KioskRuntime`` the app is given (``app.runtime``, kiosk/runtime.py);
their results come back through the Clock. Screens are listed in ``kiosk.screens.SCREENS``.
"""

from __future__ import annotations

import gc
import importlib
import logging
import os
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kivy.app import App
from kivy.base import ExceptionHandler, ExceptionManager
from kivy.clock import Clock
from kivy.core.text import LabelBase
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import NoTransition, ScreenManager

from bianmin import fonts, i18n
from bianmin.config import Config
from bianmin.store import LocalStore
from kiosk.memory import release_unused_memory
from kiosk.runtime import KioskRuntime, LoadedCatalogue, load_catalogue
from kiosk.screens import SCREENS

if TYPE_CHECKING:
    from bianmin.local.queue import QueueService
    from bianmin.local.staff_pin import PinGuard
    from printer.service import PrintService

log = logging.getLogger(__name__)

KEY_ESCAPE = 27
KEY_F1 = 282
LARGE_TEXT_SCALE = 1.35


def register_fonts() -> None:
    """Make the Simplified Chinese face Kivy's default font (name 'Roboto')."""
    regular = fonts.font_path(bold=False)
    bold = fonts.font_path(bold=True)
    LabelBase.register(name="Roboto", fn_regular=str(regular), fn_bold=str(bold))
    LabelBase.register(name="NotoSansSC", fn_regular=str(regular), fn_bold=str(bold))
    share_font_sizes()


def share_font_sizes() -> None:
    """Key Kivy's SDL2 font cache by whole pixel size.

    SDL_ttf opens a font at ``int(font_size)``, but Kivy caches open fonts by
    ``str(font_size)``, so 32.0 and 32.4 (sp × 大字 scale) each open the 16 MB CJK
    face again, about 2.5 MB each. Rendering is identical, so share them.
    """
    try:
        from kivy.core.text.text_sdl2 import LabelSDL2
    except ImportError:  # another text provider: nothing to share
        return
    if getattr(LabelSDL2, "_bianmin_int_sizes", False):
        return

    def font_id(label: LabelSDL2) -> str:
        opts = label.options
        return "|".join(str(v) for v in (int(opts["font_size"]), opts["font_name_r"], opts["bold"],
                                           opts["italic"], opts["underline"], opts["strikethrough"]))

    LabelSDL2._get_font_id = font_id
    LabelSDL2._bianmin_int_sizes = True


class ReturnHomeOnError(ExceptionHandler):
    """An unexpected exception is logged and the kiosk returns to Home instead of dying.

    A burst of errors (a fault that repeats every frame) is re-raised so the
    service manager (systemd) restarts the app cleanly.
    """

    BURST = 20
    WINDOW_SECONDS = 60.0

    def __init__(self, app: BianminApp) -> None:
        super().__init__()
        self.app = app
        self.times: list[float] = []

    def handle_exception(self, inst: BaseException) -> int:
        if isinstance(inst, KeyboardInterrupt | SystemExit):
            return ExceptionManager.RAISE
        log.error("unexpected error; returning to Home", exc_info=inst)
        now = time.monotonic()
        self.times = [t for t in self.times if now - t < self.WINDOW_SECONDS] + [now]
        if len(self.times) > self.BURST:
            return ExceptionManager.RAISE
        try:
            self.app.recover_from_error()
        except Exception:
            log.exception("recovery failed")
            return ExceptionManager.RAISE
        return ExceptionManager.PASS


class BianminApp(App):
    lang = StringProperty(i18n.DEFAULT_LANGUAGE)
    large_text = BooleanProperty(False)
    text_scale = NumericProperty(1.0)
    room_name = StringProperty("")
    clock_text = StringProperty("")
    date_text = StringProperty("")
    now_serving = StringProperty("")
    online = BooleanProperty(False)
    pending_uploads = NumericProperty(0)
    staff_warning = StringProperty("")
    kiosk_mode = BooleanProperty(True)
    printer_state = StringProperty("ready")  # ready | paper_low | paper_out | offline | error
    printer_message = StringProperty("printer.state.ready")  # translation key: app.tr(app.printer_message)
    speaker = ObjectProperty(None, allownone=True)  # kiosk.speech.Speaker, or None: 朗读 hidden
    screens_ready = BooleanProperty(False)  # every registered screen is built
    catalogue_ready = BooleanProperty(False)  # the catalogue and its search index are loaded
    catalogue_version = NumericProperty(0)  # bumps whenever app.catalogue is replaced

    staff_session = BooleanProperty(False)  # a correct staff PIN opened the staff screens (kiosk.staff)

    def __init__(
        self,
        config: Config | None = None,
        store: LocalStore | None = None,
        windowed: bool = False,
        catalogue_loader: Callable[[], Any] | None = None,
        runtime: KioskRuntime | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        if runtime is None:
            runtime = KioskRuntime(config or Config(), store, catalogue_loader=catalogue_loader)
        self.runtime = runtime
        self.kiosk_mode = not windowed
        self.use_kivy_settings = False
        self.title = "便民"
        self.lang = self.settings.kiosk.language
        self.large_text = self.settings.kiosk.large_text
        self._last_activity = time.monotonic()
        self._history: list[str] = []
        self.screen_manager: ScreenManager | None = None
        self._sync_warning = ""
        self.speaker = runtime.speaker
        self.catalogue = None  # bianmin.domain.catalogue.Catalogue once loaded (None: none usable)
        self.search = None  # bianmin.domain.search.CatalogueSearch over app.catalogue
        self.catalogue_source = ""
        self._items_by_code: dict[str, Any] = {}
        self._pending_screens: list[tuple[str, str, str]] = []
        self.catalogue_warning: Any = None  # bianmin.catalogue_source.CatalogueWarning or a text
        self._catalogue_warning_text = ""
        self.errors_recovered = 0
        self.now_serving_refresh = None  # the Clock event kiosk.queue_runtime.start schedules
        self._error_handler: ReturnHomeOnError | None = None

    # ----- the runtime's services, as screens see them -------------------------------
    @property
    def store(self) -> LocalStore:
        return self.runtime.store

    @property
    def settings(self) -> Config:
        """The kiosk's configuration (``runtime.config``)."""
        return self.runtime.config

    @settings.setter
    def settings(self, config: Config) -> None:
        self.runtime.config = config

    @property
    def printer(self) -> PrintService | None:
        """The print service, or None before it starts / when a test removes it."""
        return self.runtime.printer

    @printer.setter
    def printer(self, service: PrintService | None) -> None:
        self.runtime.printer = service

    @property
    def sync_worker(self):  # noqa: ANN201 - server_client.worker.SyncWorker or None
        return self.runtime.sync_worker

    @sync_worker.setter
    def sync_worker(self, worker) -> None:  # noqa: ANN001
        self.runtime.sync_worker = worker

    @property
    def queue(self) -> QueueService:
        return self.runtime.queue

    @queue.setter
    def queue(self, service: QueueService | None) -> None:
        self.runtime.queue = service

    @property
    def pin_guard(self) -> PinGuard:
        return self.runtime.pin_guard

    @pin_guard.setter
    def pin_guard(self, guard: PinGuard | None) -> None:
        self.runtime.pin_guard = guard

    def run_in_background(self, work: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
                          on_error: Callable[[BaseException], None] | None = None) -> None:
        """Shorthand for ``app.runtime.run``: work off the UI thread, result on the Clock."""
        self.runtime.run(work, on_done, on_error)

    def on_speaker(self, _inst: object, speaker: object) -> None:
        self.runtime.speaker = speaker

    # ----- build -------------------------------------------------------------------
    def build(self) -> ScreenManager:
        register_fonts()
        Window.clearcolor = (1, 1, 1, 1)
        Builder.load_file(str(Path(__file__).with_name("widgets.kv")))
        self.room_name = self.settings.room.name
        sm = ScreenManager(transition=NoTransition())
        self.screen_manager = sm
        sm.bind(current=self._on_current_screen)
        # Only Home is built before the first frame; the rest follow one per frame
        # afterwards (or at once when navigated to), so Home appears sooner.
        self._pending_screens = [entry for entry in SCREENS if entry[0] != "home"]
        self._build_screen(*next(entry for entry in SCREENS if entry[0] == "home"))
        Window.bind(on_keyboard=self._on_keyboard, on_request_close=self._on_request_close)
        Window.bind(on_touch_down=self._on_activity, on_key_down=self._on_activity)
        if self.kiosk_mode:
            Window.show_cursor = False
        self._error_handler = ReturnHomeOnError(self)
        ExceptionManager.add_handler(self._error_handler)
        if self.store.recovery is not None:
            self.staff_warning = self.tr("staff.db_recovered", count=self.store.recovery.total_recovered)
        self._tick(0)
        Clock.schedule_interval(self._tick, 1.0)
        self.bind(lang=self.update_clock)
        self.bind(lang=self._show_catalogue_warning)
        return sm

    def recover_from_error(self) -> None:
        """After an unexpected exception: forget inputs, go Home, tell staff."""
        self.errors_recovered += 1
        self.go_home(clear=True)
        self.staff_warning = self.tr("staff.error_recovered", count=self.errors_recovered)

    # ----- sync with the server (worker thread; state comes back through the Clock) ----
    def _start_sync(self) -> None:
        self.runtime.run(self.runtime.pending_uploads, lambda count: setattr(self, "pending_uploads", count))
        self.runtime.start_sync(self._on_sync_state)

    def request_sync(self) -> None:
        """Features call this after committing a record: upload soon, without waiting."""
        self.runtime.request_sync()

    def _on_sync_state(self, state: object) -> None:  # worker thread
        Clock.schedule_once(lambda _dt: self._apply_sync_state(state))

    def _apply_sync_state(self, state) -> None:  # noqa: ANN001
        self.online = bool(state.online)
        self.pending_uploads = int(state.pending)
        warning = self.tr(state.error_key) if state.error_key in ("sync.unauthorized", "sync.forbidden") else ""
        if warning or self.staff_warning == self._sync_warning:
            self.staff_warning = warning
        self._sync_warning = warning

    def _on_printer_state(self, state: object) -> None:
        """Called on the print worker thread: hand the new state to the Kivy thread."""
        def apply(_dt: float) -> None:
            self.printer_state = state.kind
            self.printer_message = state.key
        Clock.schedule_once(apply)

    def on_stop(self) -> None:
        self.runtime.stop()
        handler = self._error_handler
        if handler is not None and handler in ExceptionManager.handlers:
            ExceptionManager.remove_handler(handler)

    def on_large_text(self, _inst: object, value: bool) -> None:
        self.text_scale = LARGE_TEXT_SCALE if value else 1.0

    def on_start(self) -> None:
        self.on_large_text(self, self.large_text)
        Window.bind(on_flip=self._after_first_frame)

    def _after_first_frame(self, *_args: object) -> None:
        """Home is on screen: now load the catalogue and build the other screens."""
        Window.unbind(on_flip=self._after_first_frame)
        # Worker threads start only now: before the first frame they would compete with
        # it for the GIL (imports of the printer stack, YAML/JSON parsing, pinyin).
        self.runtime.start_printer(self._on_printer_state)
        self._start_sync()
        self.load_catalogue_in_background()
        Clock.schedule_once(self._build_next_screen, 0)

    # ----- screens -----------------------------------------------------------------
    def _build_screen(self, name: str, module: str, cls: str) -> None:
        screen_cls = getattr(importlib.import_module(module), cls)
        self.screen_manager.add_widget(screen_cls(name=name))

    def _build_next_screen(self, _dt: float) -> None:
        if self._pending_screens:
            self._build_screen(*self._pending_screens.pop(0))
        if self._pending_screens:
            Clock.schedule_once(self._build_next_screen, 0)
        else:
            self.screens_ready = True

    def _on_current_screen(self, _sm: ScreenManager, name: str) -> None:
        if name == "home":
            self.staff_session = False  # Home (button or idle timeout) always ends staff mode

    def ensure_screen(self, name: str) -> bool:
        """Build a registered screen now if it is not built yet; False if there is none."""
        sm = self.screen_manager
        if sm is None:
            return False
        if sm.has_screen(name):
            return True
        entry = next((e for e in self._pending_screens if e[0] == name), None)
        if entry is None:
            return False
        self._pending_screens.remove(entry)
        self._build_screen(*entry)
        if not self._pending_screens:
            self.screens_ready = True
        return True

    # ----- catalogue ---------------------------------------------------------------
    def load_catalogue_in_background(self) -> None:
        """Parse the catalogue and build the search index off the UI thread.

        Parsing ~125 items with pydantic and building the pinyin index takes longer
        than a frame; Home must appear at once, so the guide screens show "loading"
        until ``catalogue_ready`` turns true.
        """
        loader = self.runtime.catalogue_loader
        self.runtime.run(lambda: load_catalogue(loader), self._catalogue_loaded)

    def _catalogue_loaded(self, loaded: LoadedCatalogue) -> None:
        self.catalogue, self.search, self.catalogue_source = loaded.catalogue, loaded.search, loaded.source
        self._items_by_code = loaded.catalogue.by_code() if loaded.catalogue is not None else {}
        self.catalogue_warning = loaded.warning
        self._show_catalogue_warning()
        self.catalogue_ready = True
        self.catalogue_version += 1  # screens bound to this refresh with the new catalogue

    def _show_catalogue_warning(self, *_args: object) -> None:
        """Staff see why the guides are old or missing (CatalogueWarning, or a crash text)."""
        warning = self.catalogue_warning
        if warning is None:
            text = ""
        elif hasattr(warning, "text"):
            text = warning.text(self.lang)
        else:
            text = self.tr("guide.staff_no_catalogue", detail=str(warning))
        # Only replace (or clear) a warning the catalogue set; other parts may show their own.
        if text or self.staff_warning == self._catalogue_warning_text:
            self.staff_warning = text
        self._catalogue_warning_text = text

    def catalogue_items(self) -> list:
        """The items villagers can browse ([] while loading or when no catalogue is usable)."""
        return list(self.catalogue.items) if self.catalogue is not None else []

    def catalogue_item(self, code: str) -> Any:
        """The service item with this code, or None."""
        return self._items_by_code.get(code)

    # ----- translation -------------------------------------------------------------
    def tr(self, key: str, _lang: str | None = None, **fmt: object) -> str:
        """Translate; kv passes app.lang as the 2nd argument so text rebinds on switch."""
        return i18n.translate(key, self.lang, **fmt)

    def set_language(self, lang: str) -> None:
        if lang in i18n.LANGUAGES:
            self.lang = lang

    def toggle_language(self) -> None:
        langs = list(i18n.LANGUAGES)
        self.set_language(langs[(langs.index(self.lang) + 1) % len(langs)])

    # ----- navigation --------------------------------------------------------------
    def has_screen(self, name: str) -> bool:
        """Whether a screen exists (built, or registered and about to be built)."""
        if self.screen_manager is None:
            return False
        return self.screen_manager.has_screen(name) or any(e[0] == name for e in self._pending_screens)

    def go(self, name: str, remember: bool = True, **params: object) -> None:
        sm = self.screen_manager
        if sm is None or not self.ensure_screen(name):
            log.warning("no screen %s", name)
            return
        screen = sm.get_screen(name)
        screen.set_params(**params)
        if remember and sm.current != name:
            self._history.append(sm.current)
        sm.current = name

    def back(self) -> None:
        """Return to the previous screen as it was (its parameters are not reset)."""
        target = self._history.pop() if self._history else "home"
        if self.screen_manager is not None and self.screen_manager.has_screen(target):
            self.screen_manager.current = target

    def go_home(self, clear: bool = True) -> None:
        """Return to Home; by default forget every input on every screen."""
        if clear:
            self.clear_all_inputs()
        self._history.clear()
        if self.screen_manager is not None:
            self.screen_manager.current = "home"
        if clear:
            # Cleared screens leave widget cycles holding text textures; free them now
            # (a few ms) rather than whenever the collector gets round to it.
            gc.collect()

    def clear_all_inputs(self) -> None:
        if self.screen_manager is None:
            return
        for screen in self.screen_manager.screens:
            try:
                screen.clear_inputs()
            except Exception:  # a screen's bug must never keep personal data on screen
                log.exception("clear_inputs failed on %s", screen.name)

    def current_screen(self):  # noqa: ANN201
        return self.screen_manager.current_screen if self.screen_manager else None

    def can_read_aloud(self, screen: object) -> bool:
        return self.speaker is not None and screen is not None and bool(screen.read_aloud_text())

    def read_aloud_current(self) -> None:
        screen = self.current_screen()
        text = screen.read_aloud_text() if screen is not None else ""
        if text and self.speaker is not None:
            self.speaker.say(text, lang=self.lang)

    # ----- idle timeout ------------------------------------------------------------
    def _on_activity(self, *_args: object) -> None:
        self._last_activity = time.monotonic()

    def poke(self) -> None:
        self._on_activity()

    def idle_seconds(self) -> float:
        return time.monotonic() - self._last_activity

    def check_idle(self) -> bool:
        """Return to Home and clear inputs when idle too long; True if it did."""
        if self.idle_seconds() < self.settings.kiosk.idle_timeout:
            return False
        if self.screen_manager is not None and self.screen_manager.current == "attract":
            return False  # attract mode is what idle leads to; a touch ends it
        self._last_activity = time.monotonic()
        self.go_home(clear=True)
        release_unused_memory()  # nobody is waiting for a frame now
        return True

    def check_attract(self) -> bool:
        """Home left alone for ``[kiosk] attract_after`` seconds: show now-serving and notices."""
        after = self.settings.kiosk.attract_after
        sm = self.screen_manager
        if not after or sm is None or sm.current != "home" or not sm.has_screen("attract"):
            return False
        if self.idle_seconds() < after:
            return False
        self.go("attract", remember=False)
        release_unused_memory()
        return True

    def _tick(self, _dt: float) -> None:
        self.update_clock()
        self.check_idle() or self.check_attract()

    def update_clock(self, *_args: object) -> None:
        now = datetime.now()
        self.clock_text = now.strftime("%H:%M")
        self.date_text = self.tr("home.date", self.lang, year=now.year, month=now.month, day=now.day,
                                 weekday=self.tr(f"weekday.{now.isoweekday()}", self.lang))

    # ----- kiosk mode --------------------------------------------------------------
    def _on_keyboard(self, _window: object, key: int, *_args: object) -> bool:
        if key == KEY_ESCAPE:
            return True  # consumed: Esc never exits and never navigates back to a desktop
        if key == KEY_F1:
            return True  # Kivy's settings panel is disabled
        return False

    def _on_request_close(self, *_args: object, **_kwargs: object) -> bool:
        return self.kiosk_mode  # True refuses the close request

    def open_settings(self, *_args: object) -> bool:
        return False

    def exit_kiosk(self) -> None:
        """Staff-only (PIN-protected screens call this).

        Under systemd the unit restarts the kiosk whenever it exits; the pause file
        (``$BIANMIN_PAUSE_FILE``, on tmpfs) holds that restart back until a technician
        removes it or the machine reboots (deploy/systemd/bianmin-kiosk.service).
        """
        pause = os.environ.get("BIANMIN_PAUSE_FILE")
        if pause:
            try:
                Path(pause).touch()
            except OSError:
                log.warning("could not write the pause file %s; the kiosk will restart", pause)
        self.kiosk_mode = False
        self.stop()
