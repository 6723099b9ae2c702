"""Bianmin (便民): shared, UI-free domain rules and the `bianmin` command.

The kiosk (`kiosk`), the slip printer (`printer`), the kiosk's sync client
(`server_client`) and the central server (`server`) all import from here; nothing
in this package imports Kivy, FastAPI or a printer library.
"""

__version__ = "0.1.0"
