"""Application wizard, done: the short code HUGE, the promised date, the receipt's fate.

Nothing personal is shown here (no name, phone or ID), and the draft is already
forgotten; 完成, Home and the idle timeout all return to a clean Home screen.
"""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty

from bianmin.domain.tracking import format_short_code
from bianmin.local import applications
from kiosk.screens.apply_common import draft
from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)

POLL_SECONDS = 0.5


class ApplyDoneScreen(KioskScreen):
    code_text = StringProperty("")
    promise = StringProperty("")
    status_text = StringProperty("")
    print_state = StringProperty("")  # sending | sent | printed | waiting | failed | no_printer
    print_text = StringProperty("")
    app_uuid = StringProperty("")
    awaiting = BooleanProperty(False)

    def set_params(self, application: applications.Application | None = None, **_params: object) -> None:
        draft.clear()  # saved: nothing personal stays in the wizard
        if not getattr(self, "_lang_bound", False):
            self.app.bind(lang=lambda *_a: self.on_print_state())
            self._lang_bound = True
        if application is None:
            self.clear_inputs()
            return
        state = "sending" if self.app.printer is not None else "no_printer"
        self.show_receipt(application.short_code, application.promised_days, application.promised_date,
                   application.status, application.materials_missing, state)
        self.app_uuid = application.uuid
        self._days, self._due = application.promised_days, application.promised_date

    def show_receipt(self, code: str, days: int, due, status: str, missing: list[str], state: str) -> None:  # noqa: ANN001
        self.code_text = format_short_code(code)
        self.promise = applications.promise_text(days, due, self.app.lang)
        self.awaiting = status == "awaiting_materials"
        if self.awaiting:
            self.status_text = self.app.tr("apply.status_awaiting", names="、".join(missing))
        else:
            self.status_text = self.app.tr("apply.status_submitted")
        self.print_state = state

    def print_result(self, app_uuid: str, job_id: str | None, error: str) -> None:
        """Called on the UI thread once the receipt was handed to the print service (or not)."""
        if app_uuid != self.app_uuid:
            return
        if job_id:
            self.print_state = "sent"
            self._job_id = job_id
            self._stop_polling()
            self._poll = Clock.schedule_interval(self._check_job, POLL_SECONDS)
        elif error == "no_printer":
            self.print_state = "no_printer"
        else:
            self.print_state = "failed"

    def _check_job(self, _dt: float) -> bool:
        """Follow the queued receipt: printed, or waiting for paper/cable (it is never lost)."""
        printer = self.app.printer
        job_lookup = getattr(printer, "job", None)
        if printer is None or job_lookup is None or not self._job_id or not self.app_uuid:
            return False
        try:
            job = job_lookup(int(self._job_id))
        except (ValueError, TypeError):
            return False
        if job is not None and job.status == "printed":
            self.print_state = "printed"
            return False
        state = getattr(printer, "state", None)
        if state is not None and getattr(state, "kind", "ready") != "ready" and job is not None:
            self.print_state = "waiting"
            self.print_text = self.app.tr("apply.print_waiting", problem=state.message(self.app.lang).rstrip("。."))
        return True

    def _stop_polling(self) -> None:
        if getattr(self, "_poll", None) is not None:
            self._poll.cancel()
            self._poll = None

    def on_print_state(self, *_args: object) -> None:
        keys = {"sending": "apply.print_sending", "sent": "apply.print_sent", "printed": "apply.print_printed",
                "failed": "apply.print_failed", "no_printer": "apply.no_printer"}
        if self.print_state in keys:
            self.print_text = self.app.tr(keys[self.print_state])
        elif not self.print_state:
            self.print_text = ""

    def finish(self) -> None:
        self.app.go_home(clear=True)

    def clear_inputs(self) -> None:
        self._stop_polling()
        self._job_id = ""
        self.code_text = self.promise = self.status_text = self.print_state = self.app_uuid = ""
        self.awaiting = False

    def read_aloud_text(self) -> str:
        if not self.code_text:
            return ""
        spoken = " ".join(self.code_text.replace("-", ""))
        return self.app.tr("apply.read_done", code=spoken, promise=self.promise)
