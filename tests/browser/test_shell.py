"""A person uses the site in a real browser: reads, switches language, signs in and out."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from faker import Faker
from playwright.sync_api import Page, expect

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from tests.factories import PASSWORD, enrol_totp
from tests.support.totp import totp_code

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_in_english_then_spanish_with_the_switcher(page: Page) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Free legal help for people facing deportation"
    )
    screenshot(page, "home-en")

    page.get_by_label("Language").select_option(label="Español")
    page.get_by_role("button", name="Change language").click()

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ayuda legal gratuita para personas en riesgo de deportación"
    )
    expect(page.get_by_role("button", name="Cambiar idioma")).to_be_visible()
    screenshot(page, "home-es")

    # On a small phone the same page fits the screen: nothing scrolls sideways.
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    expect(page.get_by_role("button", name="Cambiar idioma")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "home-es-mobile")

    # The choice is remembered on the next page, whatever the browser asks for.
    page.get_by_role("link", name="Acceso para el personal").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")


def test_staff_member_signs_in_with_a_code_reaches_the_dashboard_and_signs_out(
    page: Page, make_user: Any
) -> None:
    fake = Faker()
    fake.seed_instance(2026)  # the same synthetic person each run keeps the screenshot stable
    user: User = make_user(
        Role.INTAKE_WORKER,
        mfa=False,
        first_name=fake.first_name(),
        last_name=fake.last_name(),
        email="intake.worker@example.org",
    )
    secret = enrol_totp(user)

    page.goto("/")
    page.get_by_role("link", name="Staff sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "sign-in")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.get_by_text(f"Signed in as {user.first_name} {user.last_name}")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")
    screenshot(page, "dashboard")

    nav.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Staff sign-in")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))  # signed out for real


def test_unknown_address_shows_the_translated_not_found_page(
    open_page: Callable[..., Page],
) -> None:
    page = open_page(locale="es-MX")  # the browser asks for Spanish
    response = page.goto("/no-existe/")
    assert response is not None and response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Página no encontrada")
    screenshot(page, "not-found-es")
    page.get_by_role("link", name="Ir a la página de inicio").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ayuda legal gratuita para personas en riesgo de deportación"
    )


@pytest.mark.parametrize(
    ("locale", "get_help", "ask", "heading"),
    [
        ("en-US", "Get help", "Ask for a lawyer", "Ask for a free immigration lawyer"),
        ("es-MX", "Pedir ayuda", "Pedir un abogado", "Pida un abogado de inmigración gratuito"),
    ],
)
def test_a_person_on_a_phone_reaches_help_in_one_click_from_the_home_page(
    open_page: Callable[..., Page], locale: str, get_help: str, ask: str, heading: str
) -> None:
    page = open_page(locale=locale)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/")
    # The first thing in the page's content is the way to a lawyer, and it is on screen.
    expect(page.get_by_role("link", name=ask)).to_be_in_viewport()
    page.get_by_role("link", name=ask).click()
    expect(page).to_have_url(re.compile(r"/help/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)

    # From any other public page, the header's link does the same.
    page.goto("/transparency/")
    page.get_by_role("banner").get_by_role("link", name=get_help).click()
    expect(page).to_have_url(re.compile(r"/help/$"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
