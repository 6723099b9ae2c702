"""Records that kiosks create and upload: applications (代办件), their events, queue
tickets, ratings (好差评) and complaints (投诉).

Every record keeps the UUID it got on the kiosk (unique; the sync upsert key),
the kiosk's own ``updated_at`` (an older copy never overwrites a newer one) and
the server's ``received_at``. ID numbers are stored only encrypted (Fernet).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bianmin.domain.wire import (
    ABOUT_STAFF_MAX,
    CATEGORY_MAX,
    CONTACT_MAX,
    ITEM_CODE_MAX,
    ITEM_NAME_MAX,
    NAME_MAX,
    PHONE_MAX,
    SHORT_CODE_LEN,
    STAGE_MAX,
    TOKEN_MAX,
    WINDOW_MAX,
)
from server.models.base import Base, UTCDateTime, utcnow


class Application(Base):
    """A proxy application (代办件) as registered on a kiosk, plus its server-side state."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="RESTRICT"), index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"), nullable=True)
    item_code: Mapped[str] = mapped_column(String(ITEM_CODE_MAX), index=True)
    item_name: Mapped[str] = mapped_column(String(ITEM_NAME_MAX))
    item_version: Mapped[int] = mapped_column(Integer, default=1)
    applicant_name: Mapped[str] = mapped_column(String(NAME_MAX))
    phone: Mapped[str] = mapped_column(String(PHONE_MAX))
    id_number_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # Fernet token
    note: Mapped[str] = mapped_column(Text, default="")
    materials_brought: Mapped[list[str]] = mapped_column(JSON, default=list)
    materials_missing: Mapped[list[str]] = mapped_column(JSON, default=list)
    token: Mapped[str] = mapped_column(String(TOKEN_MAX), unique=True)  # tracking page /t/<token>
    short_code: Mapped[str] = mapped_column(String(SHORT_CODE_LEN), unique=True)
    promised_days: Mapped[int] = mapped_column(Integer)
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())  # on the kiosk
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())  # on the kiosk (last edit there)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Server-side state, changed by agents through ApplicationEvent rows.
    status: Mapped[str] = mapped_column(String(30), default="submitted", index=True)
    kiosk_status: Mapped[str] = mapped_column(String(30), default="submitted")  # as sent by the kiosk
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    accepted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)  # promised completion date
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    assigned_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"), nullable=True)

    events: Mapped[list[ApplicationEvent]] = relationship(
        back_populates="application", order_by="ApplicationEvent.id"
    )


class ApplicationEvent(Base):
    """Append-only history of an application (who, when, from → to, note).

    ``feed_seq`` is the sync cursor: kiosks pull events of their village with
    ``feed_seq > cursor``. It is assigned when the inserting transaction commits, in
    commit order (a deferred trigger under an advisory lock on PostgreSQL, an insert
    trigger on SQLite whose writers are serialised anyway; migration 0004_sync), so an
    event whose transaction commits late still sorts after everything a kiosk has seen.
    The ``id`` order is the insert order and may differ. Rows are never deleted.
    """

    __tablename__ = "application_events"
    __table_args__ = (Index("ix_application_events_village_id_id", "village_id", "id"),
                      Index("ix_application_events_village_id_feed_seq", "village_id", "feed_seq"))

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="RESTRICT"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))  # "kiosk:12", "user:3", "cli"
    from_status: Mapped[str | None] = mapped_column(String(30), nullable=True)
    to_status: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")  # villager-facing
    internal_note: Mapped[str] = mapped_column(Text, default="")  # staff only, never pulled
    missing_materials: Mapped[list[str]] = mapped_column(JSON, default=list)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Set by the database at commit (never by the application); NULL only inside the writing transaction.
    feed_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)

    application: Mapped[Application] = relationship(back_populates="events")


class QueueTicket(Base):
    """A queue ticket (排队号) and its times, as the kiosk recorded them."""

    __tablename__ = "queue_tickets"
    __table_args__ = (Index("ix_queue_tickets_village_id_service_day", "village_id", "service_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="RESTRICT"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"), nullable=True)
    line: Mapped[str] = mapped_column(String(1))
    number: Mapped[int] = mapped_column(Integer)
    service_day: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    served_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    no_show_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    window: Mapped[str] = mapped_column(String(WINDOW_MAX), default="")
    item_code: Mapped[str | None] = mapped_column(String(ITEM_CODE_MAX), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Rating(Base):
    """A rating (好差评); levels 1–2 are 差评 and get a follow-up (console)."""

    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="RESTRICT"), index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"), nullable=True)
    # A soft reference: the rating may arrive before its application.
    application_uuid: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    stage: Mapped[str] = mapped_column(String(STAGE_MAX), default="general")
    level: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Complaint(Base):
    """A complaint (投诉箱); about staff → township supervisors (console)."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="RESTRICT"), index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"), nullable=True)
    category: Mapped[str] = mapped_column(String(CATEGORY_MAX))
    text: Mapped[str] = mapped_column(Text)
    about_staff: Mapped[str] = mapped_column(String(ABOUT_STAFF_MAX), default="")
    contact: Mapped[str] = mapped_column(String(CONTACT_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
