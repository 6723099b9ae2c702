"""The staff menu: one big button per installed staff screen.

Other features add their staff screens by registering them in ``SCREENS``
(kiosk/screens/__init__.py) and, if not listed yet, appending an entry to
``STAFF_ENTRIES`` below; entries whose screen is not installed are hidden, like
Home's ENTRIES. Staff screens derive from ``kiosk.staff.StaffScreen``.
"""

from __future__ import annotations

from kiosk.screens.base import load_kv
from kiosk.staff import StaffScreen, end_session

load_kv(__file__)

# (target screen, translation key, tone)
STAFF_ENTRIES: list[tuple[str, str, str]] = [
    ("staff_queue", "staff.menu_queue", "primary"),
    ("staff_applications", "staff.menu_applications", "primary"),
    ("staff_printer", "staff.menu_printer", "secondary"),
    ("staff_sync", "staff.menu_sync", "secondary"),
    ("staff_settings", "staff.menu_settings", "secondary"),
    ("staff_system", "staff.menu_system", "secondary"),
]


class StaffHomeScreen(StaffScreen):
    def refresh(self) -> None:
        from kiosk.widgets import BigButton

        grid = self.ids.entries
        grid.clear_widgets()
        for target, key, tone in STAFF_ENTRIES:
            if not self.app.has_screen(target):
                continue
            button = BigButton(tone=tone, text=self.app.tr(key))
            button.bind(on_release=lambda _b, t=target: self.app.go(t))
            grid.add_widget(button)

    def on_lang_change(self) -> None:
        if self.app.root and self.app.root.current == self.name:
            self.refresh()

    def sign_out(self) -> None:
        end_session(self.app)
        self.app.go_home()
