"""The staff menu on a phone (390 by 844): closed at first, "Menu" opens it, with and without
JavaScript; on a wide screen its links stand in a row. axe checks every page, and the open
menu too."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from amparo.accounts.roles import Role
from tests.factories import PASSWORD, UserFactory, enrol_totp
from tests.support.totp import totp_code

from .conftest import AXE_OPTIONS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

#: What a person reads, in each language: sign-in labels, the menu, a link only this role has.
WORDS = {
    "en-US": {
        "email": "Email",
        "password": "Password",
        "code": "Authenticator code",
        "sign_in": "Sign in",
        "nav": "Main",
        "menu": "Menu",
        "role": Role.FUND_ADMIN,
        "link": "Impact dashboard",
    },
    "es-MX": {
        "email": "Correo electrónico",
        "password": "Contraseña",
        "code": "Código del autenticador",
        "sign_in": "Iniciar sesión",
        "nav": "Principal",
        "menu": "Menú",
        "role": Role.BOARD_MEMBER,
        "link": "Impacto: informe para la junta",
    },
}


def sign_in(page: Page, words: dict[str, Any], user: Any, secret: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(words["email"]).fill(user.email)
    page.get_by_label(words["password"]).fill(PASSWORD)
    page.get_by_role("button", name=words["sign_in"]).click()
    page.get_by_label(words["code"]).fill(totp_code(secret))
    page.get_by_role("button", name=words["sign_in"]).click()
    page.wait_for_url("**/dashboard/")


def axe_violations(page: Page) -> list[Any]:
    """axe on the page as it is now (the guard checks each page as it loads)."""
    found = page.evaluate(f"axe.run(document, {json.dumps(AXE_OPTIONS)}).then(r => r.violations)")
    return [v["id"] for v in found]


@pytest.mark.parametrize("locale", ["en-US", "es-MX"])
def test_the_menu_opens_on_a_phone_and_stands_in_a_row_on_a_wide_screen(
    open_page: Callable[..., Page], locale: str
) -> None:
    words = WORDS[locale]
    user = UserFactory(role=words["role"])
    secret = enrol_totp(user)
    page = open_page(locale=locale)
    page.set_viewport_size(PHONE)
    sign_in(page, words, user, secret)

    nav = page.get_by_role("navigation", name=words["nav"])
    link = nav.get_by_role("link", name=words["link"])
    menu = nav.get_by_text(words["menu"], exact=True)
    expect(menu).to_be_visible()
    expect(link).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    menu.click()
    expect(link).to_be_visible()
    expect(link).to_be_in_viewport()
    assert axe_violations(page) == []
    screenshot(page, f"menu-phone-{locale[:2]}")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["link"])

    # On a wide screen there is nothing to open: the links are there.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    expect(menu).to_be_hidden()
    expect(nav.get_by_role("link", name=words["link"])).to_be_visible()
    first, second = (nav.get_by_role("link").nth(i).bounding_box() for i in (0, 1))
    assert first and second and first["y"] == second["y"]  # side by side, in a row


def test_the_menu_opens_without_javascript(browser: Browser, live_server: Any) -> None:
    """axe needs JavaScript, so this context has no guard: the same page with JavaScript is
    checked above; here only what a person without it can do."""
    words = WORDS["en-US"]
    user = UserFactory(role=Role.FUND_ADMIN)
    secret = enrol_totp(user)
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False, locale="en-US"
    )
    try:
        page = context.new_page()
        sign_in(page, words, user, secret)
        nav = page.get_by_role("navigation", name=words["nav"])
        link = nav.get_by_role("link", name=words["link"])
        expect(link).to_be_hidden()
        nav.get_by_text(words["menu"], exact=True).click()
        expect(link).to_be_visible()
        link.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(words["link"])
    finally:
        context.close()
