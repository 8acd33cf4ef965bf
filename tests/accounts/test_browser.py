"""Sign-in, enrolment and organization pages in a real Chromium, each checked by axe-core.

Every page the tests reach is checked against the WCAG 2.0-2.2 A and AA rules; any violation,
or any Content Security Policy report in the console, fails the test.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from amparo.accounts.roles import Role
from amparo.organizations.models import Membership
from tests.factories import (
    PASSWORD,
    AttorneyProfileFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    enrol_totp,
)

from .helpers import totp_code

# Playwright's sync API runs an event loop in this thread; Django must still let tests use the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
_axe = Axe()


class Checked:
    """A page whose every state we look at is run through axe; problems are collected."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.problems: list[str] = []
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.problems.append(f"CSP report on {self.page.url}: {message.text}")

    def check(self, label: str) -> None:
        results = _axe.run(self.page, options=WCAG)
        if results.violations_count:
            self.problems.append(f"{label} ({self.page.url})\n{results.generate_report()}")

    def go(self, path: str, label: str) -> None:
        self.page.goto(self.base_url + path)
        self.check(label)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-gpu"],
        )
        yield browser
        browser.close()


@pytest.fixture
def checked(browser: Browser, live_server: Any) -> Iterator[Any]:
    opened: list[Checked] = []

    def _open(locale: str = "en-US") -> Checked:
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 800})
        context.set_default_timeout(10_000)
        page = Checked(context.new_page(), live_server.url)
        opened.append(page)
        return page

    yield _open
    for page in opened:
        page.page.context.close()
    problems = [p for page in opened for p in page.problems]
    assert not problems, "\n\n".join(problems)


def test_a_new_staff_member_signs_in_enrols_and_keeps_recovery_codes(checked):
    user = UserFactory(role=Role.INTAKE_WORKER, email="new.staff@example.org")
    browser_page = checked()
    page = browser_page.page
    browser_page.go("/accounts/login/", "sign-in")
    page.get_by_role("button", name="Sign in").click()
    browser_page.check("sign-in with errors")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/accounts/2fa/totp/activate/")
    browser_page.check("enrolment")
    qr = page.get_by_role("img", name=re.compile("QR code"))
    assert qr.get_attribute("src").startswith("data:image/svg+xml;base64,")
    secret = page.locator("#authenticator_secret").inner_text().strip()
    page.get_by_label("Authenticator code").fill("000000")
    page.get_by_role("button", name="Activate").click()
    browser_page.check("enrolment with errors")
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()

    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    browser_page.check("recovery codes")
    assert len(page.get_by_label("Unused codes").input_value().split()) == 10
    browser_page.go("/accounts/2fa/", "two-step verification")
    browser_page.go("/accounts/password/reset/", "password reset")


def test_a_provider_admin_in_spanish_manages_staff_and_a_profile(checked):
    org = OrganizationFactory(name="Clínica Legal del Valle", slug="valle")
    boss = UserFactory(role=Role.PROVIDER_ADMIN, email="jefa@example.org")
    MembershipFactory(user=boss, organization=org)
    secret = enrol_totp(boss)
    lawyer = UserFactory(role=Role.ATTORNEY, first_name="Lucía", last_name="Abogada")
    MembershipFactory(user=lawyer, organization=org)
    AttorneyProfileFactory(user=lawyer, organization=org)
    membership = Membership.objects.get(user=lawyer)

    browser_page = checked(locale="es-MX")
    page = browser_page.page
    browser_page.go("/accounts/login/", "sign-in (es)")
    page.get_by_label("Correo electrónico").fill(boss.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    browser_page.check("second step (es)")
    page.get_by_label("Código del autenticador").fill(totp_code(secret))
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url("**/dashboard/")
    browser_page.check("dashboard (es)")

    browser_page.go("/organizations/valle/", "organization (es)")
    browser_page.go("/organizations/valle/edit/", "organization form (es)")
    browser_page.go("/organizations/valle/staff/", "staff (es)")
    browser_page.go("/organizations/valle/staff/invite/", "invitation form (es)")
    page.get_by_role("button", name="Enviar la invitación").click()
    browser_page.check("invitation form with errors (es)")
    browser_page.go("/organizations/valle/offices/new/", "office form (es)")

    browser_page.go(f"/organizations/valle/staff/{membership.pk}/profile/", "profile form (es)")
    page.get_by_label("Máximo de casos activos").fill("-1")
    page.get_by_role("button", name="Guardar el perfil").click()
    browser_page.check("profile form with errors (es)")
    summary = page.get_by_role("alert")
    assert "Hay un problema" in summary.inner_text()
