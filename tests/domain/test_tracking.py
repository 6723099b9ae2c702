"""Tracking tokens and short codes (design.md §5)."""

from __future__ import annotations

import base64

from bianmin.domain import tracking


def test_token_has_128_random_bits_and_is_url_safe():
    tokens = {tracking.new_token() for _ in range(1000)}
    assert len(tokens) == 1000
    for token in list(tokens)[:50]:
        assert tracking.is_token(token)
        assert len(base64.urlsafe_b64decode(token + "==")) == 16


def test_is_token_rejects_junk():
    for bad in ("", "short", "../../etc/passwd", "a" * 65, "abc def" * 5):
        assert not tracking.is_token(bad)


def test_short_codes_validate_and_are_speakable():
    for _ in range(2000):
        code = tracking.new_short_code()
        assert len(code) == 9
        assert all(ch in tracking.CROCKFORD for ch in code)  # no * ~ $ = U on a slip
        assert tracking.normalise_short_code(code) == code
        assert tracking.normalise_short_code(tracking.format_short_code(code).lower()) == code


def test_one_wrong_symbol_is_caught():
    code = tracking.new_short_code()
    for i in range(8):
        for ch in tracking.CROCKFORD:
            if ch == code[i]:
                continue
            changed = code[:i] + ch + code[i + 1 :]
            assert tracking.normalise_short_code(changed) is None, changed


def test_read_aliases_o_i_l_are_accepted():
    body = "0123ABCD"
    code = body + tracking.check_symbol(body)
    typed = "O123-ABCD-" + code[8]
    assert tracking.normalise_short_code(typed) == code
    body1 = "1123ABCD"
    code1 = body1 + tracking.check_symbol(body1)
    assert tracking.normalise_short_code("il23abcd" + code1[8]) == code1


def test_tracking_url():
    assert tracking.tracking_url("https://x.gov.cn/", "abc") == "https://x.gov.cn/t/abc"
