"""Mainland China phone numbers: mobile (11 digits, 1[3-9]…) or landline with area code."""

from __future__ import annotations

import re
from dataclasses import dataclass

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")  # area code 0XX/0XXX + 7–8 digit number


@dataclass(frozen=True)
class PhoneCheck:
    ok: bool
    reason: str = ""  # translation key under "phone."
    normalised: str = ""


def check_phone(value: str) -> PhoneCheck:
    digits = re.sub(r"[\s-]", "", value)
    if digits.startswith("+86"):
        digits = digits[3:]
    if not digits:
        return PhoneCheck(False, "phone.empty")
    if not digits.isdigit():
        return PhoneCheck(False, "phone.characters")
    if digits.startswith("1"):
        if len(digits) != 11:
            return PhoneCheck(False, "phone.mobile_length")
        if not MOBILE.match(digits):
            return PhoneCheck(False, "phone.mobile_prefix")
        return PhoneCheck(True, "", digits)
    if digits.startswith("0"):
        if not LANDLINE.match(digits):
            return PhoneCheck(False, "phone.landline_length")
        return PhoneCheck(True, "", digits)
    return PhoneCheck(False, "phone.unknown")
