"""Staff only (reached through the staff PIN): today's applications, reprint, fix a typo.

Corrections are allowed while the application still waits for upload; after that the
agent console owns the record. A reprint is built from the current record, so it
shows a corrected name or phone.
"""

from __future__ import annotations

import logging

from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from bianmin.domain.masking import mask_phone
from bianmin.domain.tracking import format_short_code
from bianmin.local import applications
from kiosk.pinyin_keyboard import NumberPad, PinyinKeyboard
from kiosk.screens.apply_common import FieldBox, submit_print  # noqa: F401 - FieldBox rule used in the kv
from kiosk.screens.base import load_kv
from kiosk.staff import StaffScreen
from printer.application_slips import receipt_slip

log = logging.getLogger(__name__)


class StaffApplicationRow(BoxLayout):
    app_uuid = StringProperty("")
    summary = StringProperty("")
    person = StringProperty("")
    can_edit = BooleanProperty(False)


load_kv(__file__)


class StaffApplicationsScreen(StaffScreen):
    message = StringProperty("")
    editing = StringProperty("")  # uuid of the application being corrected
    edit_field = StringProperty("name")
    edit_name = StringProperty("")
    edit_phone = StringProperty("")
    edit_error = StringProperty("")
    edit_pending = StringProperty("")  # pinyin letters not yet converted

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.pinyin = PinyinKeyboard()
        self.numpad = NumberPad(max_length=12)
        self.pinyin.bind(on_change=self._typed)
        self.numpad.bind(on_change=self._typed)
        self.items: list[applications.Application] = []

    def refresh(self) -> None:
        """Called by StaffScreen on entry once a staff session is open (else the PIN pad comes first)."""
        self.message = ""
        self.cancel_edit()
        self.reload()

    def reload(self) -> None:
        store = self.app.store

        self.load_in_background(lambda: applications.todays_applications(store), self._show,
                                lambda _exc: self._show([]))  # the executor logs the failure

    def _show(self, items: list[applications.Application]) -> None:
        self.items = items
        box = self.ids.rows
        box.clear_widgets()
        if not items:
            box.add_widget(Factory.BodyLabel(text=self.app.tr("staff_apps.empty")))
        for a in items:
            row = StaffApplicationRow(
                app_uuid=a.uuid,
                summary=f"{a.created_at.astimezone():%H:%M}  {format_short_code(a.short_code)}  {a.item_name}",
                person=f"{a.applicant_name}  {mask_phone(a.phone)}  · {self.app.tr(f'status.{a.status}')}"
                + f"  · {self.app.tr('staff_apps.pending' if a.pending_upload else 'staff_apps.synced')}",
                can_edit=a.pending_upload,
            )
            row.ids.reprint_button.bind(on_release=lambda _b, u=a.uuid: self.reprint(u))
            row.ids.edit_button.bind(on_release=lambda _b, u=a.uuid: self.start_edit(u))
            box.add_widget(row)

    def _find(self, app_uuid: str) -> applications.Application | None:
        return next((a for a in self.items if a.uuid == app_uuid), None)

    # ----- reprint ------------------------------------------------------------------
    def reprint(self, app_uuid: str) -> None:
        store = self.app.store
        settings = self.app.settings

        def load() -> tuple:  # a SQLite read and the slip layout: off the UI thread
            application = applications.get_application(store, app_uuid)
            return application, (receipt_slip(application, settings) if application is not None else None)

        self.app.runtime.run(load, lambda found: self._print_receipt(app_uuid, *found),
                             lambda exc: setattr(self, "message", self.app.tr("staff_apps.print_failed", error=str(exc))))

    def _print_receipt(self, app_uuid: str, application, slip) -> None:  # noqa: ANN001
        if application is None:
            return
        store = self.app.store

        def done(job_id: str | None, error: str) -> None:
            if job_id:
                self.message = self.app.tr("staff_apps.reprinted", code=format_short_code(application.short_code))
                self.app.runtime.run(lambda: applications.record_print_job(store, app_uuid, receipt_job=job_id))
            elif error == "no_printer":
                self.message = self.app.tr("staff_apps.no_printer")
            else:
                self.message = self.app.tr("staff_apps.print_failed", error=error)

        submit_print(self.app, slip, done)

    # ----- correct a typo -----------------------------------------------------------
    def start_edit(self, app_uuid: str) -> None:
        a = self._find(app_uuid)
        if a is None:
            return
        self.editing = app_uuid
        self.edit_name, self.edit_phone, self.edit_error = a.applicant_name, a.phone, ""
        self.focus_edit("name")

    def focus_edit(self, field: str) -> None:
        if field != "name" and self.pinyin.composer.letters and self.pinyin.candidates:
            self.pinyin.choose(self.pinyin.candidates[0])  # leaving the name commits the best guess
        self.edit_pending = ""
        self.edit_field = field
        area = self.ids.edit_keyboard
        area.clear_widgets()
        keyboard = self.pinyin if field == "name" else self.numpad
        self._loading = True
        keyboard.set_text(self.edit_name if field == "name" else self.edit_phone)
        self._loading = False
        area.add_widget(keyboard)

    def _typed(self, keyboard) -> None:  # noqa: ANN001
        if getattr(self, "_loading", False) or not self.editing:
            return
        if keyboard is self.pinyin:
            self.edit_name = keyboard.text
            self.edit_pending = keyboard.preedit.replace(" ", "")
        else:
            self.edit_phone = keyboard.text
        self.edit_error = ""

    def save_edit(self) -> None:
        if not self.editing:
            return
        if self.pinyin.composer.letters and self.pinyin.candidates:
            self.pinyin.choose(self.pinyin.candidates[0])
        try:
            applications.correct_application(self.app.store, self.editing, name=self.edit_name, phone=self.edit_phone)
        except applications.ApplicationInvalid as exc:
            self.edit_error = "；".join(self.app.tr(key) for key in exc.errors.values())
            return
        except applications.NotCorrectable:
            self.edit_error = self.app.tr("staff_apps.uploaded")
            return
        self.message = self.app.tr("staff_apps.saved")
        self.cancel_edit()
        self.reload()

    def cancel_edit(self) -> None:
        self.editing = ""
        self.edit_name = self.edit_phone = self.edit_error = ""
        if "edit_keyboard" in self.ids:
            self.ids.edit_keyboard.clear_widgets()
        self.pinyin.reset()
        self.numpad.reset()

    def clear_inputs(self) -> None:
        super().clear_inputs()  # ends the staff session
        self.cancel_edit()
        self.message = ""
        self.items = []
        if "rows" in self.ids:
            self.ids.rows.clear_widgets()
