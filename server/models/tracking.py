"""Follow-ups of 差评, complaint handling and short-code lookup attempts.

A bad rating (level 1–2) gets exactly one ``FollowUp`` with a deadline a
supervisor must meet; the villager reads the answer on the tracking page. A
complaint gets one ``ComplaintCase``, routed to the township of the village it
came from (never to the agent complained about). ``LookupAttempt`` rows are both
the log of short-code guesses and the rate-limit counter: every worker sees the
same rows, so the limit holds however many processes serve the site.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, UTCDateTime, utcnow
from server.models.records import Complaint, Rating

# One rating per application per stage, whichever channel it comes from (kiosk or
# tracking page). General ratings have no application (NULL), and NULLs never
# collide in a unique index on either SQLite or PostgreSQL.
Index("uq_ratings_application_uuid_stage", Rating.application_uuid, Rating.stage, unique=True)


class FollowUp(Base):
    """A 差评 a supervisor must answer by ``deadline``."""

    __tablename__ = "rating_followups"

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(
        ForeignKey("ratings.id", ondelete="CASCADE"), unique=True
    )
    village_id: Mapped[int] = mapped_column(
        ForeignKey("villages.id", ondelete="RESTRICT"), index=True
    )
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deadline: Mapped[date] = mapped_column(Date, index=True)
    answer: Mapped[str] = mapped_column(Text, default="")  # shown to the villager
    answered_by: Mapped[str] = mapped_column(String(80), default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    rating: Mapped[Rating] = relationship()


class ComplaintCase(Base):
    """Handling of one complaint by the township supervisors."""

    __tablename__ = "complaint_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), unique=True
    )
    township_id: Mapped[int] = mapped_column(
        ForeignKey("townships.id", ondelete="RESTRICT"), index=True
    )
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deadline: Mapped[date] = mapped_column(Date, index=True)
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_by: Mapped[str] = mapped_column(String(80), default="")
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    complaint: Mapped[Complaint] = relationship()


class LookupAttempt(Base):
    """One short-code lookup (web form or kiosk API): the guess log and the rate-limit counter."""

    __tablename__ = "lookup_attempts"
    __table_args__ = (Index("ix_lookup_attempts_client_at", "client", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client: Mapped[str] = mapped_column(String(80))  # "ip:1.2.3.4" or "device:12"
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    channel: Mapped[str] = mapped_column(String(10))  # web | kiosk
    code_tried: Mapped[str] = mapped_column(
        String(16), default=""
    )  # normalised guess (or '?' if malformed)
    success: Mapped[bool] = mapped_column(Boolean, default=False)
