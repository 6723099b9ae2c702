"""Kiosk-local record services over the LocalStore (queue tickets, applications, staff PIN guard, …).

Each module owns its tables (``store.ensure_schema``), writes a record and marks it
dirty for upload in one transaction, and takes an injectable clock for tests.
No Kivy here: screens call these services from a worker thread.
"""
