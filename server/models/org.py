"""The organisation: county (旗) → townships (苏木/乡镇) → villages (嘎查/村), rooms, agents.

Codes follow the statistical division codes: a county has the 6-digit GB/T 2260
area code (150121 土默特左旗), a township 9 digits (area code + 3), a village 12
digits (township + 3). The village code is what kiosk records carry.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, UTCDateTime, utcnow


class County(Base):
    __tablename__ = "counties"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    townships: Mapped[list[Township]] = relationship(back_populates="county", order_by="Township.code")


class Township(Base):
    __tablename__ = "townships"

    id: Mapped[int] = mapped_column(primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id", ondelete="RESTRICT"), index=True)
    code: Mapped[str] = mapped_column(String(9), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20), default="township")  # township 乡镇 | sumu 苏木
    hall_phone: Mapped[str] = mapped_column(String(40), default="")
    county: Mapped[County] = relationship(back_populates="townships")
    villages: Mapped[list[Village]] = relationship(back_populates="township", order_by="Village.code")


class Village(Base):
    __tablename__ = "villages"

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("townships.id", ondelete="RESTRICT"), index=True)
    code: Mapped[str] = mapped_column(String(15), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20), default="village")  # village 村 | gacha 嘎查
    township: Mapped[Township] = relationship(back_populates="villages")
    rooms: Mapped[list[ServiceRoom]] = relationship(back_populates="village")
    agents: Mapped[list[Agent]] = relationship(back_populates="village", order_by="Agent.id")


class ServiceRoom(Base):
    """A village convenience-service room (便民服务室)."""

    __tablename__ = "service_rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(200), default="")
    hours: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    village: Mapped[Village] = relationship(back_populates="rooms")


class Agent(Base):
    """A village agent (代办员), shown publicly with photo and position (公开公示)."""

    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    position: Mapped[str] = mapped_column(String(60), default="")  # 村委会主任, 大学生村官, 第一书记 …
    phone: Mapped[str] = mapped_column(String(20), default="")
    photo_path: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    village: Mapped[Village] = relationship(back_populates="agents")


class RosterEntry(Base):
    """One duty slot (值班表): an agent on duty in a village on a weekday, e.g. 08:30-12:00."""

    __tablename__ = "roster_entries"
    __table_args__ = (UniqueConstraint("agent_id", "weekday", "hours", name="uq_roster_entries_slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="CASCADE"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)  # ISO 1 = Monday … 7 = Sunday
    hours: Mapped[str] = mapped_column(String(40), default="")  # "08:30-12:00"
    note: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    agent: Mapped[Agent] = relationship()
