"""Domain rules shared by the kiosk and the server (no UI, no I/O beyond files)."""
