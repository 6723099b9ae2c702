"""The application wizard's state, UI-free: one object the screens read and write.

Back and forward keep everything typed; a validation error keeps the text and says,
per field, what is wrong. Nothing is saved until ``submit``; ``clear`` (finish, Home,
idle timeout) forgets every personal detail, so an abandoned draft leaves no trace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from bianmin.domain.calendar import WorkingCalendar
from bianmin.domain.catalogue import ServiceItem
from bianmin.local import applications
from bianmin.store import LocalStore

WHO_FIELDS = ("name", "phone", "id_number", "note")


@dataclass
class ApplicationDraft:
    item: ServiceItem | None = None
    brought: set[str] = field(default_factory=set)
    name: str = ""
    phone: str = ""
    id_number: str = ""
    note: str = ""
    consent: bool = False
    consent_at: datetime | None = None
    errors: dict[str, str] = field(default_factory=dict)
    saved: applications.Application | None = None
    notice_job: str = ""  # the one-time notice printed at the materials step, if any

    # ----- item and materials ---------------------------------------------------------
    def start(self, item: ServiceItem | None) -> None:
        """Begin (or keep) a draft for an item; a different item starts afresh."""
        if self.item is not None and item is not None and self.item.code == item.code and self.saved is None:
            return
        self.clear()
        self.item = item

    @property
    def needs_id(self) -> bool:
        return bool(self.item and self.item.needs_id_number)

    def toggle_material(self, name: str) -> bool:
        if name in self.brought:
            self.brought.discard(name)
        else:
            self.brought.add(name)
        return name in self.brought

    def missing_required(self) -> list[str]:
        return applications.missing_materials(self.item, self.brought)[0] if self.item else []

    def missing(self) -> list[str]:
        return applications.missing_materials(self.item, self.brought)[1] if self.item else []

    # ----- who ------------------------------------------------------------------------
    def validate_who(self) -> bool:
        """Check the applicant's details; errors keep the typed text untouched."""
        if self.item is None:
            self.errors = {"item": "apply.no_item"}
            return False
        errors, _clean = applications.validate(self.item, self.name, self.phone, self.id_number, self.note)
        self.errors = errors
        return not errors

    def set_field(self, name: str, value: str) -> None:
        if name not in WHO_FIELDS:
            raise KeyError(name)
        setattr(self, name, value)
        self.errors.pop(name, None)

    # ----- consent --------------------------------------------------------------------
    def give_consent(self, agreed: bool = True) -> None:
        self.consent = agreed
        self.consent_at = datetime.now(UTC) if agreed else None

    @property
    def ready(self) -> bool:
        return self.item is not None and self.consent and self.validate_who()

    # ----- save -----------------------------------------------------------------------
    def submit(self, store: LocalStore, calendar: WorkingCalendar, village_code: str) -> applications.Application:
        """Commit the application (one transaction). Raises ApplicationInvalid / ValueError."""
        if self.saved is not None:
            return self.saved  # a double tap on 确认 never registers twice
        if self.item is None:
            raise ValueError("no item")
        if not self.consent or self.consent_at is None:
            raise ValueError("consent required")
        self.saved = applications.create_application(
            store,
            self.item,
            name=self.name,
            phone=self.phone,
            id_number=self.id_number if self.needs_id else "",
            note=self.note,
            materials_brought=sorted(self.brought),
            consent_at=self.consent_at,
            village_code=village_code,
            calendar=calendar,
        )
        return self.saved

    def clear(self) -> None:
        self.item = None
        self.brought = set()
        self.name = self.phone = self.id_number = self.note = ""
        self.consent = False
        self.consent_at = None
        self.errors = {}
        self.saved = None
        self.notice_job = ""
