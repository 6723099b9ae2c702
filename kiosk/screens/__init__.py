"""The kiosk's screens: one module + one .kv each. Add a screen by listing it here.

Each entry is (screen name, module, class). The order is the screenshot tour's order.
"""

SCREENS: list[tuple[str, str, str]] = [
    ("home", "kiosk.screens.home", "HomeScreen"),
    ("track", "kiosk.screens.track", "TrackScreen"),
    ("rate", "kiosk.screens.rate", "RateScreen"),
    ("complain", "kiosk.screens.complain", "ComplainScreen"),
]
