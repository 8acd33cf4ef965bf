"""Helpers for the sign-in tests: what an authenticator app and a reader of the page do."""

from __future__ import annotations

import re

from tests.support.totp import totp_code

__all__ = ["main_of", "secret_on_page", "totp_code"]


def secret_on_page(html: str) -> str:
    match = re.search(r'id="authenticator_secret"[^>]*>\s*([A-Z2-7]{16,})\s*<', html)
    assert match, "the enrolment page shows the secret as text"
    return match.group(1)


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]
