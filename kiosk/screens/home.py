"""Home: the room's name, date and time, now serving, online state, big entry buttons."""

from __future__ import annotations

from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)

# (target screen, translation key, tone); buttons whose screen is not installed are hidden.
ENTRIES: list[tuple[str, str, str]] = [
    ("guide_browse", "home.guides", "primary"),
    ("queue_take", "home.take_number", "primary"),
    ("apply_start", "home.apply", "primary"),
    ("track", "home.track", "primary"),
    ("rate", "home.rate", "ok"),
    ("complain", "home.complain", "secondary"),
    ("notices", "home.notices", "secondary"),
]


class HomeScreen(KioskScreen):
    def on_kv_post(self, _base: object) -> None:
        from kivy.clock import Clock

        self.app.bind(lang=self._relabel, text_scale=self._relabel)
        # Home is the first screen, so on_pre_enter never fires for it at start-up; build
        # the tiles once every screen is registered (before the first frame).
        Clock.schedule_once(lambda _dt: self.build_entries(), -1)

    def on_pre_enter(self, *args: object) -> None:
        super().on_pre_enter(*args)
        self.build_entries()

    def build_entries(self) -> None:
        """One big tile per installed feature: its name and a one-line hint."""
        from kiosk.widgets import TileButton

        grid = self.ids.entries
        grid.clear_widgets()
        for target, key, tone in ENTRIES:
            if not self.app.has_screen(target):
                continue
            button = TileButton(tone=tone, size_hint_y=1)
            button.entry_key = key
            button.entry_target = target
            button.bind(on_release=lambda _b, t=target: self.app.go(t))
            grid.add_widget(button)
        self._relabel()

    def _relabel(self, *_args: object) -> None:
        from kiosk.widgets import tile_text

        for button in self.ids.entries.children:
            button.text = tile_text(self.app.tr(button.entry_key),
                                    self.app.tr(f"home.hint.{button.entry_target}"), self.app.text_scale)

    @property
    def entry_count(self) -> int:
        return len(self.ids.entries.children)

    def read_aloud_text(self) -> str:
        return self.app.tr("home.read_aloud", room=self.app.room_name)
