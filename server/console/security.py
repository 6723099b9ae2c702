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
from zxcvbn import zxcvbn

# Moderate argon2id cost: a sign-in on the 2-core county server must stay well under a second.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# A real hash of a random password: verified against when the user does not exist, so a
# wrong user name takes as long as a wrong password (no user-name probing by timing).
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(12))

MIN_PASSWORD_LENGTH = 8
MIN_PASSWORD_SCORE = 3  # zxcvbn 0..4
PRODUCT_WORDS = ("bianmin", "便民", "console", "admin", "daiban", "代办")
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


def password_problem(password: str, user_name: str = "", *other_inputs: str) -> str | None:
    """Translation key of what is wrong with a new password, or None.

    Strength is zxcvbn's estimate (common-password lists, keyboard patterns, dates,
    repeats, the user's own name): score 3 of 4 or better, as its authors advise for
    an online-attack setting. `12345678`, `password`, `qwertyui` score 0.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return "console.password.too_short"
    if len(password) > 128:
        return "console.password.too_long"
    if user_name and password.lower() == user_name.lower():
        return "console.password.same_as_user"
    # zxcvbn's matching grows quickly with length; the first 64 characters decide it.
    inputs = [v for v in (user_name, *other_inputs, *PRODUCT_WORDS) if v]
    if zxcvbn(password[:64], user_inputs=inputs)["score"] < MIN_PASSWORD_SCORE:
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
    """Growing delay after failed sign-ins, per user name *and* client address; never a lock.

    After `free_failures` failures from one address for one user name, each further
    attempt from there must wait 2**(n - free) seconds (capped at `max_delay`) after
    the last failure. A success (or an admin's unlock) resets the count. Because the
    count is per address, a stranger guessing from elsewhere slows only themselves:
    the clerk at the office signs in at once (issue 14: anyone could lock `admin`).
    `address_limit` attempts per `address_window` from one address, for any names,
    stop password spraying across accounts.
    """

    free_failures: int = 5
    max_delay: int = 900
    window: timedelta = timedelta(hours=24)
    address_limit: int = 60
    address_window: timedelta = timedelta(minutes=15)

    def wait_seconds(self, failures: int, last_failure: datetime | None, now: datetime) -> int:
        """Seconds the caller must still wait before another attempt (0 = may try)."""
        if failures < self.free_failures or last_failure is None:
            return 0
        delay = min(self.max_delay, 2 ** min(failures - self.free_failures, 30))
        remaining = (last_failure + timedelta(seconds=delay) - now).total_seconds()
        return max(0, int(remaining + 0.999))


DEFAULT_POLICY = BackoffPolicy()
