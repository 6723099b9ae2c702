"""Application wizard, step 4: everything once more, then save — and only then print.

The tap on 确认提交 commits the application in a worker thread (SQLite with
synchronous=FULL waits for the disk); the receipt is handed to the print service
after the commit, so a printer problem can never lose the application.
"""

from __future__ import annotations

import logging
from datetime import date

from kivy.properties import BooleanProperty, ListProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from bianmin.local import applications
from kiosk.screens.apply_common import draft, submit_print
from kiosk.screens.base import KioskScreen, load_kv
from printer.application_slips import receipt_slip

log = logging.getLogger(__name__)


class ConfirmRow(BoxLayout):
    label = StringProperty("")
    value = StringProperty("")


load_kv(__file__)


def group_phone(phone: str) -> str:
    """13800138000 → 138 0013 8000: easy to check digit by digit."""
    if len(phone) == 11 and phone.startswith("1"):
        return f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    return phone


def group_id(id_number: str, reveal: bool) -> str:
    """110105 19491231 002X, with the birth date hidden until 'show' is tapped."""
    if len(id_number) != 18:
        return id_number
    middle = id_number[6:14] if reveal else "*" * 8
    return f"{id_number[:6]} {middle} {id_number[14:]}"


class ApplyConfirmScreen(KioskScreen):
    rows = ListProperty([])
    saving = BooleanProperty(False)
    error = StringProperty("")
    reveal_id = BooleanProperty(False)
    has_id = BooleanProperty(False)

    def on_pre_enter(self, *args: object) -> None:
        super().on_pre_enter(*args)
        self.error = ""
        self.reveal_id = False
        self.refresh()

    def on_reveal_id(self, *_args: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        tr = self.app.tr
        item = draft.item
        if item is None:
            self.rows = []
            return
        cal = applications.calendar_from_config(self.app.settings)
        days, due = applications.promise(item, cal, date.today())
        none = tr("apply.none")
        brought = [m.name for m in item.materials if m.name in draft.brought]
        rows = [
            (tr("apply.row_item"), item.name),
            (tr("apply.field_name"), draft.name),
            (tr("apply.field_phone"), group_phone(draft.phone)),
        ]
        self.has_id = draft.needs_id
        if draft.needs_id:
            rows.append((tr("apply.field_id"), group_id(draft.id_number.upper(), self.reveal_id)))
        if draft.note:
            rows.append((tr("apply.field_note"), draft.note))
        rows.append((tr("apply.row_brought"), "、".join(brought) or none))
        rows.append((tr("apply.row_missing"), "、".join(draft.missing()) or none))
        rows.append((tr("apply.row_promise"), applications.promise_text(days, due, self.app.lang)))
        self.rows = rows
        box = self.ids.rows
        box.clear_widgets()
        for label, value in rows:
            box.add_widget(ConfirmRow(label=label, value=value))

    def submit(self) -> None:
        """Save on the runtime's worker, then print the receipt, then show the code."""
        if self.saving:
            return
        self.saving = True
        self.error = ""
        store = self.app.store
        calendar = applications.calendar_from_config(self.app.settings)
        village_code = self.app.settings.room.code

        def work() -> applications.Application:
            saved = draft.submit(store, calendar, village_code)
            if draft.notice_job:
                try:
                    applications.record_print_job(store, saved.uuid, notice_job=draft.notice_job)
                except Exception:
                    log.exception("recording the notice job failed")
            return saved

        self.app.runtime.run(work, self._saved, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.saving = False
        if isinstance(exc, applications.ApplicationInvalid):
            draft.validate_who()
            self.app.go("apply_who")
            return
        self.error = "apply.save_failed"

    def _saved(self, saved: applications.Application) -> None:
        self.saving = False
        slip = receipt_slip(saved, self.app.settings)
        done_screen = "apply_done"
        self.app.go(done_screen, application=saved)
        store = self.app.store

        def printed(job_id: str | None, error: str) -> None:
            if job_id:
                self.app.runtime.run(lambda: applications.record_print_job(store, saved.uuid, receipt_job=job_id))
            if self.app.has_screen(done_screen):
                self.app.screen_manager.get_screen(done_screen).print_result(saved.uuid, job_id, error)

        submit_print(self.app, slip, printed)

    def clear_inputs(self) -> None:
        draft.clear()
        self.rows = []
        self.error = ""
        self.reveal_id = False
        if "rows" in self.ids:
            self.ids.rows.clear_widgets()

    def read_aloud_text(self) -> str:
        return "。".join(f"{label}：{value}" for label, value in self.rows)
