"""Staff system panel: printer (state, test print, reprint), sync (state, sync now, records
the server refused — quarantined — with their reason and "resend"), catalogue version,
enrolment, and leaving kiosk mode.

Everything that touches SQLite or the printer queue runs in the kiosk's worker
thread (``app.runtime.run``) and comes back through the Clock, so a
slow disk or a hung printer never freezes the panel. "Sync now" only wakes the
sync worker; its result arrives later through the app's sync listener.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kivy.properties import BooleanProperty, ListProperty, StringProperty
from kivy.uix.modalview import ModalView

from kiosk.screens.base import load_kv
from kiosk.staff import StaffScreen

load_kv(__file__)

RECENT_JOBS = 6
QUARANTINE_SHOWN = 20
ENROL_COMMAND = "bianmin kiosk enrol --server URL --code CODE"


@dataclass(frozen=True)
class JobRow:
    id: int
    kind: str
    status: str
    created_at: datetime


@dataclass(frozen=True)
class SystemSnapshot:
    """What the panel shows, gathered off the UI thread."""

    printer_key: str = "printer.state.ready"
    printer_args: dict = field(default_factory=dict)
    printer_pending: int = 0
    jobs: tuple[JobRow, ...] = ()
    sync_enabled: bool = False
    online: bool = False
    pending_uploads: int = 0
    last_sync: datetime | None = None
    sync_error_key: str = ""
    sync_error: str = ""
    catalogue_version: int | None = None
    catalogue_published: str = ""
    catalogue_source: str = ""
    server_url: str = ""
    token_set: bool = False
    quarantined: tuple = ()  # bianmin.local.outbox.QuarantinedRecord, oldest first


def gather(app) -> SystemSnapshot:  # noqa: ANN001 - the running BianminApp; runs on a worker thread
    printer = app.printer
    jobs: tuple[JobRow, ...] = ()
    printer_key, printer_args, printer_pending = "printer.state.ready", {}, 0
    if printer is not None:
        state = printer.state
        printer_key, printer_args = state.key, dict(state.args)
        printer_pending = printer.pending_count()
        jobs = tuple(JobRow(j.id, j.kind, j.status, j.created_at) for j in printer.jobs(RECENT_JOBS))
    worker = app.sync_worker
    online, last_sync, error_key, error = False, None, "", ""
    if worker is not None:
        state = worker.state
        online, last_sync, error_key, error = state.online, state.last_sync, state.error_key, state.error
    else:
        from bianmin.local import status_cache

        last_sync = status_cache.last_sync_time(app.store)
    from bianmin.local import outbox

    catalogue = app.catalogue
    server = app.settings.server
    return SystemSnapshot(
        printer_key=printer_key, printer_args=printer_args, printer_pending=printer_pending, jobs=jobs,
        sync_enabled=worker is not None, online=online, pending_uploads=outbox.pending_count(app.store),
        last_sync=last_sync, sync_error_key=error_key, sync_error=error,
        catalogue_version=catalogue.version if catalogue is not None else None,
        catalogue_published=str(catalogue.published) if catalogue is not None else "",
        catalogue_source=app.catalogue_source or "",
        server_url=server.url, token_set=bool(server.device_token),
        quarantined=tuple(outbox.quarantined(app.store, limit=QUARANTINE_SHOWN)),
    )


class ConfirmExit(ModalView):
    """Asks once more before the kiosk leaves full-screen mode."""

    on_confirm = None

    def confirm(self) -> None:
        self.dismiss()
        if self.on_confirm is not None:
            self.on_confirm()


class StaffSystemScreen(StaffScreen):
    printer_text = StringProperty("")
    sync_text = StringProperty("")
    catalogue_text = StringProperty("")
    enrolment_text = StringProperty("")
    message = StringProperty("")
    loaded = BooleanProperty(False)
    job_rows = ListProperty([])  # [(job id, label)] for the recent-jobs buttons
    enrol_command = StringProperty(ENROL_COMMAND)
    quarantine_text = StringProperty("")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.snapshot: SystemSnapshot | None = None
        self.confirm: ConfirmExit | None = None
        self._bound = False

    def set_staff_params(self, **_params: object) -> None:
        self.message = ""

    # ----- loading ------------------------------------------------------------------
    def refresh(self) -> None:
        if not self._bound:
            self._bound = True
            self.app.bind(printer_message=self._app_changed, online=self._app_changed,
                          pending_uploads=self._app_changed, lang=self._app_changed)
        app = self.app
        self.load_in_background(lambda: gather(app), self.show,
                                lambda _e: setattr(self, "message", app.tr("system.load_failed")))

    def _app_changed(self, *_args: object) -> None:
        if self.manager is not None and self.manager.current == self.name:
            self.refresh()

    def show(self, snap: SystemSnapshot) -> None:
        self.snapshot = snap
        tr = self.app.tr
        printer_state = tr(snap.printer_key, **snap.printer_args) if snap.printer_key else ""
        self.printer_text = tr("system.printer_state", state=printer_state, pending=snap.printer_pending,
                               uri=self.app.settings.printer.uri)
        self.job_rows = [(j.id, self.job_label(j)) for j in snap.jobs]
        self._show_jobs()
        if not snap.sync_enabled:
            sync = tr("system.sync_off")
        else:
            sync = tr("system.online") if snap.online else tr("system.offline")
        last = snap.last_sync.strftime("%Y-%m-%d %H:%M") if snap.last_sync else tr("system.never")
        lines = [sync, tr("system.pending", count=snap.pending_uploads), tr("system.last_sync", time=last)]
        if snap.sync_error_key:
            lines.append(tr("system.last_error", error=tr(snap.sync_error_key)))
            if snap.sync_error:
                lines.append(snap.sync_error[:200])
        self.sync_text = "\n".join(lines)
        self._show_quarantine(snap.quarantined)
        if snap.catalogue_version is None:
            self.catalogue_text = tr("system.no_catalogue")
        else:
            self.catalogue_text = tr("system.catalogue", version=snap.catalogue_version,
                                     published=snap.catalogue_published,
                                     source=tr(f"system.source.{snap.catalogue_source or 'unknown'}"))
        self.enrolment_text = "\n".join([
            tr("system.server_url", url=snap.server_url or tr("system.not_set")),
            tr("system.token_set") if snap.token_set else tr("system.token_missing"),
        ])
        self.loaded = True

    def _show_jobs(self) -> None:
        from kiosk.widgets import BigButton

        box = self.ids.jobs
        box.clear_widgets()
        for job_id, label in self.job_rows:
            button = BigButton(text=label, tone="secondary")
            button.bind(on_release=lambda _b, j=job_id: self.reprint(j))
            box.add_widget(button)

    def job_label(self, job: JobRow) -> str:
        tr = self.app.tr
        return tr("system.job", id=job.id, kind=tr(f"system.kind.{job.kind}"),
                  status=tr(f"system.status.{job.status}"), time=job.created_at.strftime("%H:%M"))

    # ----- printer ------------------------------------------------------------------
    def test_print(self) -> None:
        from printer.samples import sample_ticket

        printer = self.app.printer
        if printer is None:
            self.message = self.app.tr("system.no_printer")
            return
        slip = sample_ticket(self.app.settings.room)
        lang = self.app.lang
        self.app.runtime.run(lambda: printer.submit(slip, lang), self._queued, self._failed)

    def reprint_last(self) -> None:
        printer = self.app.printer
        if printer is None:
            self.message = self.app.tr("system.no_printer")
            return

        def work() -> int | None:
            last = printer.last_job_id()
            return printer.reprint(last) if last is not None else None

        self.app.runtime.run(work, self._queued, self._failed)

    def reprint(self, job_id: int) -> None:
        printer = self.app.printer
        if printer is None:
            self.message = self.app.tr("system.no_printer")
            return
        self.app.runtime.run(lambda: printer.reprint(job_id), self._queued, self._failed)

    def retry_printer(self) -> None:
        if self.app.printer is not None:
            self.app.printer.retry_now()  # sets events only: never waits
        self.message = self.app.tr("system.retrying")

    def _queued(self, job_id: int | None) -> None:
        self.message = self.app.tr("system.queued", id=job_id) if job_id else self.app.tr("system.nothing_to_reprint")
        self.refresh()

    def _failed(self, _exc: BaseException) -> None:
        self.message = self.app.tr("system.action_failed")

    # ----- sync ---------------------------------------------------------------------
    def _show_quarantine(self, held: tuple) -> None:
        """Each refused record with its reason and a resend button (correct it first on 代办记录)."""
        from kiosk.widgets import BigButton, BodyLabel

        tr = self.app.tr
        box = self.ids.quarantine
        box.clear_widgets()
        self.quarantine_text = tr("system.quarantine_count", count=len(held)) if held else tr("system.quarantine_none")
        for record in held:
            box.add_widget(BodyLabel(text=tr("system.quarantine_row", kind=tr(f"system.record.{record.kind}"),
                                             id=record.uuid[:8], time=record.since.astimezone().strftime("%m-%d %H:%M"),
                                             reason=record.reason[:160])))
            button = BigButton(text=tr("system.resend"), tone="secondary")
            button.bind(on_release=lambda _b, r=record: self.resend(r.kind, r.uuid))
            box.add_widget(button)

    def resend(self, kind: str, uuid: str) -> None:
        """Queue a quarantined record again (after it was corrected, or the server was fixed)."""
        from bianmin.local import outbox

        def done(_released: bool) -> None:
            self.message = self.app.tr("system.resent")
            self.app.request_sync()
            self.refresh()

        self.app.runtime.run(lambda: outbox.release(self.app.store, kind, uuid), done, self._failed)

    def sync_now(self) -> None:
        if self.app.sync_worker is None:
            self.message = self.app.tr("system.sync_off")
            return
        self.app.request_sync()
        self.message = self.app.tr("system.sync_requested")

    # ----- kiosk mode ---------------------------------------------------------------
    def ask_exit(self) -> None:
        self.confirm = ConfirmExit()
        self.confirm.on_confirm = self.app.exit_kiosk
        self.confirm.open()

    def clear_inputs(self) -> None:
        super().clear_inputs()
        self.message = ""
        if self.confirm is not None:
            self.confirm.dismiss()
            self.confirm = None
