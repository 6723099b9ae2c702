"""The console's own tables: users, sessions, sign-in attempts, audit log, ID reveals,
and the holiday calendar. (The duty roster is feat/server's ``RosterEntry``.)

Sessions live in the database (not in process memory) so any worker can serve any
request. The audit log and the ID-reveal log are append-only: the console never
updates or deletes their rows (responsibility tracing, 责任追究).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, UTCDateTime
from server.models.records import Application

ROLES = ("village_agent", "township_staff", "county_admin")


class ConsoleUser(Base):
    __tablename__ = "console_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # one of ROLES
    scope_code: Mapped[str] = mapped_column(String(15))  # village, township or county code
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The public agent record (photo, roster) this user is, if any: set as the handling agent.
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"), nullable=True)


class ConsoleSession(Base):
    __tablename__ = "console_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("console_users.id", ondelete="CASCADE"), index=True)
    csrf_secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LoginAttempt(Base):
    __tablename__ = "console_login_attempts"
    __table_args__ = (Index("ix_console_login_attempts_username_at", "username", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    success: Mapped[bool] = mapped_column(Boolean)
    outcome: Mapped[str] = mapped_column(String(20))  # ok / bad_password / waiting / locked / disabled


class AuditEntry(Base):
    __tablename__ = "console_audit"
    __table_args__ = (Index("ix_console_audit_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    username: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[str] = mapped_column(String(64))
    village_code: Mapped[str | None] = mapped_column(String(15), nullable=True, index=True)
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


class IdReveal(Base):
    __tablename__ = "console_id_reveals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    user_id: Mapped[int] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(40))
    application_id: Mapped[str] = mapped_column(String(64), index=True)


class HolidayEntry(Base):
    """A public holiday (kind=holiday) or a make-up working weekend day (kind=workday)."""

    __tablename__ = "console_holidays"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(40), default="")


# The console's inbox indexes on feat/server's applications table (migration 0002_console):
# a scope's open cases newest first, and running cases by promised date.
Index("ix_applications_village_status_created", Application.village_id, Application.status, Application.created_at)
Index("ix_applications_status_due", Application.status, Application.due_date)
Index("ix_applications_created_at", Application.created_at)
