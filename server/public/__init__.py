"""Public pages: the tracking page /t/<token>, short-code lookup, ratings (no login, no JS)."""
