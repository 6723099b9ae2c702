"""Resident ID number check (GB 11643-1999, ISO 7064 MOD 11-2).

18 characters: 6-digit area code, 8-digit birth date, 3-digit sequence, check
character. Returns a reason key for the translation layer rather than raising, so
the form can say in plain Chinese exactly what is wrong and keep what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


@dataclass(frozen=True)
class IdCheck:
    ok: bool
    reason: str = ""  # translation key under "id." when not ok
    normalised: str = ""
    birth_date: date | None = None


def check_character(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def check_id_number(value: str, today: date | None = None) -> IdCheck:
    text = value.strip().upper().replace(" ", "")
    if not text:
        return IdCheck(False, "id.empty")
    if len(text) == 15 and text.isdigit():
        return IdCheck(False, "id.old_15")
    if len(text) != 18:
        return IdCheck(False, "id.length")
    if not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        return IdCheck(False, "id.characters")
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return IdCheck(False, "id.birth_date")
    today = today or date.today()
    if born > today or born.year < 1850:
        return IdCheck(False, "id.birth_date")
    if check_character(text[:17]) != text[17]:
        return IdCheck(False, "id.checksum")
    return IdCheck(True, "", text, born)
