"""Application wizard, step 1: which materials did the villager bring (一次性告知).

Started from an item's guide page with ``item_code``; without one the screen says to
choose the item first and offers the guides. Missing required materials never block:
the villager can print the one-time notice and still register (awaiting materials).
"""

from __future__ import annotations

from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from bianmin.pinyin_ime import default_engine
from kiosk.screens.apply_common import (
    MaterialRow,
    draft,
    find_item,
    submit_print,
)
from kiosk.screens.base import KioskScreen, load_kv
from printer.application_slips import notice_slip

load_kv(__file__)


def counts_text(originals: int, copies: int, tr) -> str:  # noqa: ANN001
    """原件1份 复印件1份, leaving out a count of 0."""
    parts = []
    if originals:
        parts.append(tr("apply.originals", n=originals))
    if copies:
        parts.append(tr("apply.copies", n=copies))
    return " ".join(parts)


class ApplyStartScreen(KioskScreen):
    has_item = BooleanProperty(False)
    item_name = StringProperty("")
    missing_count = NumericProperty(0)
    missing_text = StringProperty("")
    notice_status = StringProperty("")
    item_error = StringProperty("")
    can_browse = BooleanProperty(False)
    can_search = BooleanProperty(False)

    def set_params(self, item_code: str = "", item=None, **_params: object) -> None:  # noqa: ANN001
        self.notice_status = ""
        self.item_error = ""
        if item is not None:
            draft.start(item)
        elif item_code:
            found = find_item(self.app, item_code)
            if found is None:
                self.item_error = "apply.item_unknown"
                draft.clear()
            else:
                draft.start(found)
        # no code: keep a draft already under way (coming back from step 2), else ask for one
        self.refresh()

    def on_pre_enter(self, *args: object) -> None:
        super().on_pre_enter(*args)
        # the name keyboard's tables take ~0.3-1 s to load: do it while materials are ticked
        self.app.runtime.run(default_engine().load)
        self.refresh()

    def refresh(self) -> None:
        # screens are all registered only after build(): ask now, not when the kv was applied
        self.can_browse = self.app.has_screen("guide_browse")
        self.can_search = self.app.has_screen("guide_search")
        item = draft.item
        self.has_item = item is not None
        self.item_name = item.name if item else ""
        box = self.ids.materials
        box.clear_widgets()
        if item is None:
            self.missing_count = 0
            self.missing_text = ""
            return
        tr = self.app.tr
        for material in item.materials:
            row = MaterialRow(
                name=material.name,
                detail=counts_text(material.originals, material.copies, tr)
                + " · " + tr(f"apply.req.{material.requirement}")
                + (f" · {material.notes}" if material.notes else ""),
                ticked=material.name in draft.brought,
                required=material.requirement == "required",
            )
            row.bind(on_release=self._toggle)
            box.add_widget(row)
        self._update_missing()

    def _toggle(self, row: MaterialRow) -> None:
        row.ticked = draft.toggle_material(row.name)
        self.notice_status = ""
        self._update_missing()

    def _update_missing(self) -> None:
        missing = draft.missing_required()
        self.missing_count = len(missing)
        if draft.item is not None and not draft.item.materials:
            self.missing_text = self.app.tr("apply.no_materials")
        elif missing:
            self.missing_text = self.app.tr("apply.missing_count", count=len(missing), names="、".join(missing))
        else:
            self.missing_text = self.app.tr("apply.all_required_here")

    def print_notice(self) -> None:
        if draft.item is None:
            return
        slip = notice_slip(draft.item, draft.brought, self.app.settings)
        self.notice_status = "apply.print_sending"

        def done(job_id: str | None, error: str) -> None:
            if job_id:
                draft.notice_job = job_id
                self.notice_status = "apply.notice_sent"
            else:
                self.notice_status = "apply.notice_failed"

        submit_print(self.app, slip, done)

    def next_step(self) -> None:
        if draft.item is not None:
            self.app.go("apply_who")

    def open_guides(self, screen: str) -> None:
        self.app.go(screen)

    def clear_inputs(self) -> None:
        draft.clear()
        self.notice_status = ""
        self.item_error = ""
        self.refresh()

    def read_aloud_text(self) -> str:
        if draft.item is None:
            return self.app.tr("apply.no_item")
        return self.app.tr("apply.read_materials") + self.missing_text
