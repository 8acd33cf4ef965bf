"""Helpers for the sign-in tests: what an authenticator app and a reader of the page do."""

from __future__ import annotations

import re
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The code an authenticator app shows for ``secret`` (RFC 6238, 30-second steps)."""
    if at is None:
        at = time.time()
        if at % 30 > 28.5:  # too close to the next step: the server might see the next one
            time.sleep(30 - at % 30 + 0.1)
            at = time.time()
    counter = int(at // 30)
    return format_hotp_value(hotp_value(secret, counter))


def secret_on_page(html: str) -> str:
    match = re.search(r'id="authenticator_secret"[^>]*>\s*([A-Z2-7]{16,})\s*<', html)
    assert match, "the enrolment page shows the secret as text"
    return match.group(1)


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]
