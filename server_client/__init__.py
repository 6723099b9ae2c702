"""The kiosk's outbox and its sync with the central server (requests; no Kivy)."""
