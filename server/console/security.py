"""Passwords, session tokens, CSRF tokens and the sign-in back-off rule.

Pure functions only (no database), so the rules can be tested on their own and the
routes stay thin. Session and CSRF tokens are random; only their SHA-256 digests are
stored, so a copy of the database does not let anyone sign in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# Moderate argon2id cost: a sign-in on the 2-core county server must stay well under a second.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# A real hash of a random password: verified against when the user does not exist, so a
# wrong user name takes as long as a wrong password (no user-name probing by timing).
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(12))

MIN_PASSWORD_LENGTH = 8
SESSION_COOKIE = "bm_session"
LOGIN_CSRF_COOKIE = "bm_login_csrf"
SESSION_IDLE = timedelta(hours=8)


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_problem(password: str, user_name: str = "") -> str | None:
    """Translation key of what is wrong with a new password, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "console.password.too_short"
    if len(password) > 128:
        return "console.password.too_long"
    if user_name and password.lower() == user_name.lower():
        return "console.password.same_as_user"
    if password.isdigit() and len(set(password)) <= 2:
        return "console.password.too_simple"
    return None


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def csrf_token_for(secret: str, purpose: str = "form") -> str:
    """The token printed into forms: derived from the session's secret (not stored itself)."""
    return hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).hexdigest()


def csrf_ok(secret: str | None, submitted: str | None, purpose: str = "form") -> bool:
    if not secret or not submitted:
        return False
    return hmac.compare_digest(csrf_token_for(secret, purpose), submitted)


@dataclass(frozen=True)
class BackoffPolicy:
    """Growing delay after repeated failed sign-ins, then a lock-out.

    After `free_failures` failures each further attempt must wait 2**(n - free) seconds
    (capped) after the last failure; at `lock_after` failures the account is locked for
    `lock_for`. A success resets the count.
    """

    free_failures: int = 3
    max_delay: int = 60
    lock_after: int = 8
    lock_for: timedelta = timedelta(minutes=15)
    window: timedelta = timedelta(minutes=30)

    def wait_seconds(self, failures: int, last_failure: datetime | None, now: datetime) -> int:
        """Seconds the caller must still wait before another attempt (0 = may try)."""
        if failures < self.free_failures or last_failure is None:
            return 0
        delay = min(self.max_delay, 2 ** (failures - self.free_failures))
        remaining = (last_failure + timedelta(seconds=delay) - now).total_seconds()
        return max(0, int(remaining + 0.999))

    def locks(self, failures: int) -> bool:
        return failures >= self.lock_after


DEFAULT_POLICY = BackoffPolicy()
