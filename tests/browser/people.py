"""What a staff member does in the browser to sign in: password, then the authenticator code."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD
from tests.support.totp import totp_code


def sign_in(page: Page, user: Any, secret: str) -> None:
    """Sign ``user`` in with the password and a fresh authenticator code; land on the dashboard."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
