"""Enrolment codes and kiosk devices: create a code, exchange it for a token, revoke."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import Device, EnrolmentCode, Village, utcnow
from server.security import hash_enrolment_code, hash_secret, new_device_token, new_enrolment_code


class EnrolmentError(ValueError):
    """The code is unknown, used or expired (message is for the installer)."""


@dataclass(frozen=True)
class IssuedCode:
    code: str
    village_code: str
    expires_at: object


@dataclass(frozen=True)
class EnrolledDevice:
    device: Device
    token: str


def village_by_code(session: Session, code: str) -> Village | None:
    return session.execute(select(Village).where(Village.code == code)).scalar_one_or_none()


def create_enrolment_code(session: Session, village: Village, hours: int = 72, created_by: str = "cli") -> IssuedCode:
    code = new_enrolment_code()
    expires = utcnow() + timedelta(hours=hours)
    session.add(EnrolmentCode(village_id=village.id, code_hash=hash_enrolment_code(code), expires_at=expires,
                              created_by=created_by))
    session.flush()
    return IssuedCode(code=code, village_code=village.code, expires_at=expires)


def enrol(session: Session, code: str, name: str = "", ip: str = "", key: str | None = None) -> EnrolledDevice:
    """Use a one-time code: a new device for its village, token returned once.

    A kiosk that sends its own ``key`` may retry after a lost reply: the same code with
    the same key returns the same device with a fresh token (the lost one stops working),
    so the code is not burnt and no orphan device is left behind.
    """
    row = session.execute(
        select(EnrolmentCode).where(EnrolmentCode.code_hash == hash_enrolment_code(code)).with_for_update()
    ).scalar_one_or_none()
    now = utcnow()
    if row is None:
        raise EnrolmentError("登记码不存在 / unknown enrolment code")
    if row.used_at is not None:
        device = session.get(Device, row.device_id) if row.device_id is not None else None
        if key and row.key_hash and hmac.compare_digest(row.key_hash, hash_secret(key)) \
                and device is not None and not device.revoked:
            token = new_device_token()
            device.token_hash, device.last_seen_at, device.last_ip = hash_secret(token), now, ip[:64]
            session.flush()
            return EnrolledDevice(device=device, token=token)
        raise EnrolmentError("登记码已使用 / enrolment code already used")
    if row.expires_at <= now:
        raise EnrolmentError("登记码已过期 / enrolment code expired")
    token = new_device_token()
    device = Device(village_id=row.village_id, name=name[:80], token_hash=hash_secret(token), last_ip=ip[:64],
                    last_seen_at=now)
    session.add(device)
    session.flush()
    row.used_at, row.device_id = now, device.id
    row.key_hash = hash_secret(key) if key else None
    return EnrolledDevice(device=device, token=token)


def device_for_token(session: Session, token: str) -> Device | None:
    return session.execute(select(Device).where(Device.token_hash == hash_secret(token))).scalar_one_or_none()


def revoke_device(session: Session, device_id: int) -> Device | None:
    device = session.get(Device, device_id)
    if device is not None and not device.revoked:
        device.revoked, device.revoked_at = True, utcnow()
    return device
