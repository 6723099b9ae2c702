"""The kiosk's screens: one module + one .kv each. Add a screen by listing it here.

Each entry is (screen name, module, class). The order is the screenshot tour's order.
"""

SCREENS: list[tuple[str, str, str]] = [
    ("home", "kiosk.screens.home", "HomeScreen"),
    ("guide_browse", "kiosk.screens.guide_browse", "GuideBrowseScreen"),
    ("guide_list", "kiosk.screens.guide_list", "GuideListScreen"),
    ("guide_detail", "kiosk.screens.guide_detail", "GuideDetailScreen"),
    ("guide_search", "kiosk.screens.guide_search", "GuideSearchScreen"),
    ("apply_start", "kiosk.screens.apply_start", "ApplyStartScreen"),
    ("apply_who", "kiosk.screens.apply_who", "ApplyWhoScreen"),
    ("apply_consent", "kiosk.screens.apply_consent", "ApplyConsentScreen"),
    ("apply_confirm", "kiosk.screens.apply_confirm", "ApplyConfirmScreen"),
    ("apply_done", "kiosk.screens.apply_done", "ApplyDoneScreen"),
    ("staff_applications", "kiosk.screens.staff_applications", "StaffApplicationsScreen"),
    ("track", "kiosk.screens.track", "TrackScreen"),
    ("rate", "kiosk.screens.rate", "RateScreen"),
    ("complain", "kiosk.screens.complain", "ComplainScreen"),
    ("notices", "kiosk.screens.notices", "NoticesScreen"),
    ("queue_take", "kiosk.screens.queue_take", "QueueTakeScreen"),
    ("queue_ticket", "kiosk.screens.queue_ticket", "QueueTicketScreen"),
    ("staff_pin", "kiosk.screens.staff_pin", "StaffPinScreen"),
    ("staff_home", "kiosk.screens.staff_home", "StaffHomeScreen"),
    ("staff_queue", "kiosk.screens.staff_queue", "StaffQueueScreen"),
]
