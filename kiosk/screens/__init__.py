"""The kiosk's screens: one module + one .kv each. Add a screen by listing it here.

Each entry is (screen name, module, class). The order is the screenshot tour's order.
"""

SCREENS: list[tuple[str, str, str]] = [
    ("home", "kiosk.screens.home", "HomeScreen"),
    ("notices", "kiosk.screens.notices", "NoticesScreen"),
]
