"""The suite's TOTP helper agrees with RFC 6238 and with allauth."""

from __future__ import annotations

import base64
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from tests.support.totp import totp_code

#: RFC 6238 appendix B: the SHA-1 seed "12345678901234567890".
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode().rstrip("=")


@pytest.mark.parametrize(
    ("at", "code"),
    [(59, "287082"), (1111111109, "081804"), (1234567890, "005924"), (2000000000, "279037")],
)
def test_rfc_6238_vectors(at: int, code: str) -> None:
    assert totp_code(RFC_SECRET, at=at) == code


def test_same_code_as_allauth_computes() -> None:
    secret = base64.b32encode(bytes(range(20))).decode()
    now = time.time()
    assert totp_code(secret, at=now) == format_hotp_value(hotp_value(secret, int(now // 30)))


def test_a_code_made_now_is_not_about_to_expire() -> None:
    totp_code(RFC_SECRET)
    assert 30 - time.time() % 30 > 5
