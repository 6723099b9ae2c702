"""Tracking tokens and short codes (design.md §5).

The token in the QR URL carries 128 random bits (URL-safe base64, 22 characters),
so no one can guess another villager's page. The short code is for speaking or
typing: 8 Crockford base32 symbols (40 random bits) plus a mod-37 check symbol,
printed ``XXXX-XXXX-X``; looking it up also needs the phone's last four digits.
"""

from __future__ import annotations

import re
import secrets

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_SYMBOLS = CROCKFORD + "*~$=U"  # Crockford's 37 check symbols
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
_READ_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_token() -> str:
    return secrets.token_urlsafe(16)  # 16 bytes = 128 bits


def is_token(value: str) -> bool:
    return bool(TOKEN_RE.match(value))


# 22 random URL-safe symbols show 11 or more distinct ones in all but ~3 of a million
# draws and never fewer than 8 in practice; "aaaa…" or "abab…" is typed, not drawn.
MIN_DISTINCT_SYMBOLS = 8


def is_strong_token(value: str) -> bool:
    """A token as ``new_token`` draws it: the format and enough distinct symbols to be random.

    The server accepts tokens from kiosks only if they pass this, so a hostile or broken
    kiosk cannot plant a guessable tracking page.
    """
    return is_token(value) and len(set(value)) >= MIN_DISTINCT_SYMBOLS


def _value(symbols: str) -> int:
    n = 0
    for ch in symbols:
        n = n * 32 + CROCKFORD.index(ch)
    return n


def check_symbol(symbols: str) -> str:
    return CHECK_SYMBOLS[_value(symbols) % 37]


def new_short_code() -> str:
    """A new code whose check symbol is a letter or digit.

    Crockford's mod-37 check has five symbols (* ~ $ = U) that a villager cannot
    easily say or find on the pad; codes drawing one are redrawn (5 in 37 are),
    which costs under 0.2 bits of the 40 and keeps every code a valid Crockford code.
    """
    while True:
        body = "".join(secrets.choice(CROCKFORD) for _ in range(8))
        check = check_symbol(body)
        if check in CROCKFORD:
            return body + check


def format_short_code(code: str) -> str:
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def normalise_short_code(text: str) -> str | None:
    """Accept what a villager types or says (any case, dashes, O for 0); None if invalid."""
    cleaned = re.sub(r"[\s\-]", "", text.upper())
    if len(cleaned) != 9:
        return None
    body = cleaned[:8].translate(_READ_ALIASES)
    check = cleaned[8]
    if check not in CHECK_SYMBOLS:
        check = check.translate(_READ_ALIASES)
    if any(ch not in CROCKFORD for ch in body):
        return None
    if check_symbol(body) != check:
        return None
    return body + check


def tracking_url(public_base_url: str, token: str) -> str:
    return f"{public_base_url.rstrip('/')}/t/{token}"
