"""What a staff member does in the browser to sign in: password, then the authenticator code."""

from __future__ import annotations

import base64
import time
from typing import Any

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD


def totp_code(secret: str) -> str:
    """The code an authenticator app would show now for ``secret`` (RFC 6238, as allauth uses)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    return TOTP(key, 6, SHA1(), 30, enforce_key_length=False).generate(time.time()).decode()


def fresh_code_window() -> None:
    """Wait out the last seconds of a 30-second TOTP window, so the code typed is still the
    current one when the server checks it."""
    left = 30 - time.time() % 30
    if left < 6:
        time.sleep(left + 0.5)


def sign_in(page: Page, user: Any, secret: str) -> None:
    """Sign ``user`` in with the password and a fresh authenticator code; land on the dashboard."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    fresh_code_window()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
