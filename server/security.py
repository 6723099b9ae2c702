"""Device tokens, enrolment codes and ID-number encryption.

Tokens (256 bits) and enrolment codes (60 bits, expiring, one-time, rate-limited)
are random, so SHA-256 is enough to store them: the hash cannot be reversed and
there is no dictionary to try. ID numbers are encrypted with Fernet (AES-128-CBC +
HMAC) under a key that never lives in the database.
"""

from __future__ import annotations

import hashlib
import secrets

from cryptography.fernet import Fernet, InvalidToken

TOKEN_PREFIX = "bmk_"
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
CODE_LENGTH = 12


def hash_secret(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def new_device_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_enrolment_code() -> str:
    """12 Crockford symbols, printed as XXXX-XXXX-XXXX for the installer to type."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_enrolment_code(text: str) -> str:
    """Accept lower case, spaces, dashes and the usual look-alikes (O→0, I/L→1)."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    return cleaned


def hash_enrolment_code(text: str) -> str:
    return hash_secret("enrol:" + normalise_enrolment_code(text))


def encrypt_id_number(fernet: Fernet, id_number: str | None) -> bytes | None:
    return fernet.encrypt(id_number.encode("ascii")) if id_number else None


def decrypt_id_number(fernet: Fernet, blob: bytes | None) -> str | None:
    """Only for roles that need it; the console logs every reveal."""
    if not blob:
        return None
    try:
        return fernet.decrypt(blob).decode("ascii")
    except InvalidToken:
        return None
