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
    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        # Home is entered before the other screens are added: build again once they exist.
        from kivy.clock import Clock

        Clock.schedule_once(lambda _dt: self.build_entries(), 0)

    def on_pre_enter(self, *_args: object) -> None:
        self.build_entries()

    def build_entries(self) -> None:
        from kiosk.widgets import BigButton

        grid = self.ids.entries
        grid.clear_widgets()
        for target, key, tone in ENTRIES:
            if not self.app.has_screen(target):
                continue
            button = BigButton(tone=tone)
            button.entry_key = key
            button.text = self.app.tr(key)
            button.bind(on_release=lambda _b, t=target: self.app.go(t))
            self.app.bind(lang=lambda _a, _v, b=button: setattr(b, "text", self.app.tr(b.entry_key)))
            grid.add_widget(button)

    def read_aloud_text(self) -> str:
        return self.app.tr("home.read_aloud", room=self.app.room_name)
