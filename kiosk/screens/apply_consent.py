"""Application wizard, step 3: what we record, why, who sees it, how long (PIPL spirit).

Continuing requires an explicit tap on "I agree"; the time of consent is kept with the
application.
"""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.screens.apply_common import draft
from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)


class ApplyConsentScreen(KioskScreen):
    agreed = BooleanProperty(False)
    body = StringProperty("")
    error = StringProperty("")

    def on_pre_enter(self, *args: object) -> None:
        super().on_pre_enter(*args)
        self.agreed = draft.consent
        self.error = ""
        self._text()
        if not getattr(self, "_bound", False):
            self.app.bind(lang=lambda *_a: self._text())
            self._bound = True

    def _text(self) -> None:
        item = draft.item
        id_part = self.app.tr("apply.consent_id_part") if draft.needs_id else ""
        self.body = self.app.tr("apply.consent_text", item=item.name if item else "", id_part=id_part)

    def toggle(self) -> None:
        draft.give_consent(not draft.consent)
        self.agreed = draft.consent
        self.error = ""

    def next_step(self) -> None:
        if not draft.consent:
            self.error = "apply.consent_required"
            return
        self.app.go("apply_confirm")

    def clear_inputs(self) -> None:
        draft.clear()
        self.agreed = False
        self.error = ""
        self.body = ""

    def read_aloud_text(self) -> str:
        return self.body
