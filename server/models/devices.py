"""Kiosks, one-time enrolment codes and device tokens.

Tokens and codes are random with ≥ 128 / ≥ 50 bits, so a plain SHA-256 of them
is a safe, index-friendly hash (no salt or slow hash needed: nobody can
dictionary-attack a random token). Only hashes are stored.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, UTCDateTime, utcnow
from server.models.org import Village


class Device(Base):
    """An enrolled kiosk; writes only its own village's records."""

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(80), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_ip: Mapped[str] = mapped_column(String(64), default="")
    # The kiosk's own report (POST /api/v1/sync/health): bianmin.domain.wire.HealthReport as JSON.
    health: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    health_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    village: Mapped[Village] = relationship()


class EnrolmentCode(Base):
    """A one-time code an installer types on a new kiosk (expires; used once)."""

    __tablename__ = "enrolment_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"), nullable=True)
    created_by: Mapped[str] = mapped_column(String(80), default="")  # "cli" or a console user
    # SHA-256 of the key the kiosk sent with the code: the same code + key again returns
    # the same device (a lost reply must not burn the code or leave an orphan device).
    key_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    village: Mapped[Village] = relationship()


class RateLimitBucket(Base):
    """A fixed-window counter shared by all workers (enrolment attempts, short-code lookups …)."""

    __tablename__ = "rate_limit_buckets"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime())
    count: Mapped[int] = mapped_column(Integer, default=0)
