"""The one TOTP helper of the test suite: what an authenticator app shows for a secret.

RFC 6238 with allauth's parameters (SHA-1, six digits, 30-second steps), computed with
``cryptography`` rather than allauth itself, so that a test that signs in checks allauth's
verification against an independent implementation.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP
from time_machine import escape_hatch

STEP = 30
#: Seconds before the end of a step in which no code is made: typing it (a browser) or posting
#: it could otherwise reach the server in the next step.
MARGIN = 6.0


def totp_code(
    secret: str, *, at: float | None = None, clock: Callable[[], float] = time.time
) -> str:
    """The six-digit code for the base32 ``secret`` at time ``at`` (default: now by ``clock``,
    after waiting out the last :data:`MARGIN` seconds of the current step).

    A server in another process does not share a clock the tests moved (``AMPARO_TEST_NOW``):
    codes for it are made with ``clock=real_time``."""
    if at is None:
        left = STEP - clock() % STEP
        if left < MARGIN:
            time.sleep(left + 0.5)
        at = clock()
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    return TOTP(key, 6, SHA1(), STEP, enforce_key_length=False).generate(at).decode()


def real_time() -> float:
    """The real clock, also while the tests travel in time."""
    return escape_hatch.time.time() if escape_hatch.is_travelling() else time.time()
