from __future__ import annotations

from datetime import date

import pytest

from bianmin import i18n
from bianmin.domain.idnumber import check_character, check_id_number
from bianmin.domain.phone import check_phone

TODAY = date(2026, 3, 2)


@pytest.mark.parametrize("value", ["11010519491231002X", "440524188001010014"])
def test_valid_id_numbers(value):
    result = check_id_number(value, TODAY)
    assert result.ok and result.normalised == value


def test_birth_date_is_read():
    assert check_id_number("11010519491231002X", TODAY).birth_date == date(1949, 12, 31)


def test_lowercase_x_and_spaces_are_accepted_and_normalised():
    result = check_id_number(" 110105 19491231 002x ", TODAY)
    assert result.ok and result.normalised == "11010519491231002X"


@pytest.mark.parametrize("wrong", ["110105194912310021", "110105194912310020", "440524188001010015"])
def test_wrong_check_character(wrong):
    assert check_id_number(wrong, TODAY).reason == "id.checksum"


def test_checksum_follows_iso_7064():
    assert check_character("11010519491231002") == "X"
    assert check_character("44052418800101001") == "4"


@pytest.mark.parametrize("bad", [
    "110105194902300027",  # 30 February
    "110105194913310021",  # month 13
    "110105188001000000",  # day 00
    "110105203001010000",  # born in the future
    "110105180001010000",  # before 1850 (GB 11643 example 4405241880… is valid)
])
def test_impossible_birth_date(bad):
    assert check_id_number(bad, TODAY).reason == "id.birth_date"


def test_fifteen_digit_old_number_is_explained():
    result = check_id_number("110105491231002", TODAY)
    assert not result.ok and result.reason == "id.old_15"
    assert "15位" in i18n.translate("id.old_15") and "18位" in i18n.translate("id.old_15")


@pytest.mark.parametrize(("value", "reason"), [
    ("", "id.empty"), ("1101051949123100", "id.length"), ("11010519491231002XX", "id.length"),
    ("1101051949123100X2", "id.characters"), ("X1010519491231002X", "id.characters"),
])
def test_other_bad_id_numbers(value, reason):
    assert check_id_number(value, TODAY).reason == reason


def test_every_id_reason_has_plain_chinese_and_english():
    for key in ("id.empty", "id.old_15", "id.length", "id.characters", "id.birth_date", "id.checksum"):
        assert i18n.translate(key, "zh_CN") != key and i18n.translate(key, "en") != key


@pytest.mark.parametrize(("value", "normalised"), [
    ("13800138000", "13800138000"), ("138 0013 8000", "13800138000"), ("+8619912345678", "19912345678"),
    ("04711234567", "04711234567"), ("0471-1234567", "04711234567"), ("010-12345678", "01012345678"),
])
def test_valid_phones(value, normalised):
    result = check_phone(value)
    assert result.ok and result.normalised == normalised


@pytest.mark.parametrize(("value", "reason"), [
    ("", "phone.empty"), ("1380013800", "phone.mobile_length"), ("138001380001", "phone.mobile_length"),
    ("12800138000", "phone.mobile_prefix"), ("04711", "phone.landline_length"), ("0471123456789", "phone.landline_length"),
    ("1380013800a", "phone.characters"), ("88888888", "phone.unknown"),
])
def test_invalid_phones(value, reason):
    assert check_phone(value).reason == reason


def test_every_phone_reason_has_translations():
    for key in ("phone.empty", "phone.characters", "phone.mobile_length", "phone.mobile_prefix",
                "phone.landline_length", "phone.unknown"):
        assert i18n.translate(key, "zh_CN") != key and i18n.translate(key, "en") != key
