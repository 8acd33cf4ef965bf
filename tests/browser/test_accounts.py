"""Sign-in, enrolment, organization pages and invitations in a real Chromium.

Every document the tests reach is checked by axe-core through ``open_page`` (tests/browser/
conftest.py), the one way the suite checks a page: any WCAG 2.0-2.2 A/AA violation or CSP report
fails the test.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from amparo.accounts.roles import Role
from amparo.organizations.models import Membership
from amparo.organizations.services import membership_invite
from tests.factories import (
    PASSWORD,
    AttorneyProfileFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    enrol_totp,
)
from tests.support.totp import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(
    page: Page,
    email: str,
    secret: str,
    *,
    sign_in: str,
    email_label: str,
    password_label: str,
    code_label: str,
) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(email_label).fill(email)
    page.get_by_label(password_label).fill(PASSWORD)
    page.get_by_role("button", name=sign_in).click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label(code_label).fill(totp_code(secret))
    page.get_by_role("button", name=sign_in).click()
    page.wait_for_url("**/dashboard/")


def test_a_new_staff_member_signs_in_enrols_and_keeps_recovery_codes(page: Page) -> None:
    user = UserFactory(role=Role.INTAKE_WORKER, email="new.staff@example.org")
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Email")).to_be_visible()
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/accounts/2fa/totp/activate/")
    qr = page.get_by_role("img", name=re.compile("QR code"))
    assert qr.get_attribute("src").startswith("data:image/svg+xml;base64,")
    secret = page.locator("#authenticator_secret").inner_text().strip()
    page.get_by_label("Authenticator code").fill("000000")
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_text(re.compile("code", re.I)).first).to_be_visible()
    assert "/accounts/2fa/totp/activate/" in page.url
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()

    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    assert len(page.get_by_label("Unused codes").input_value().split()) == 10
    page.goto("/accounts/2fa/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto("/accounts/password/reset/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_a_provider_admin_in_spanish_manages_staff_and_a_profile(
    open_page: Callable[..., Page],
) -> None:
    org = OrganizationFactory(name="Clínica Legal del Valle", slug="valle")
    boss = UserFactory(role=Role.PROVIDER_ADMIN, email="jefa@example.org")
    MembershipFactory(user=boss, organization=org)
    secret = enrol_totp(boss)
    lawyer = UserFactory(role=Role.ATTORNEY, first_name="Lucía", last_name="Abogada")
    MembershipFactory(user=lawyer, organization=org)
    AttorneyProfileFactory(user=lawyer, organization=org)
    membership = Membership.objects.get(user=lawyer)

    page = open_page(locale="es-MX")
    _sign_in(
        page,
        boss.email,
        secret,
        sign_in="Iniciar sesión",
        email_label="Correo electrónico",
        password_label="Contraseña",
        code_label="Código del autenticador",
    )

    for path in (
        "/organizations/valle/",
        "/organizations/valle/edit/",
        "/organizations/valle/staff/",
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Editar el perfil de Lucía Abogada")).to_be_visible()

    page.goto("/organizations/valle/staff/invite/")
    page.get_by_role("button", name="Enviar la invitación").click()
    expect(page.get_by_role("alert")).to_contain_text("Hay un problema")
    page.goto("/organizations/valle/offices/new/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(f"/organizations/valle/staff/{membership.pk}/profile/")
    page.get_by_label("Máximo de casos activos").fill("-1")
    page.get_by_role("button", name="Guardar el perfil").click()
    expect(page.get_by_role("alert")).to_contain_text("Hay un problema")


@pytest.mark.parametrize("locale", ["en-US", "es-MX"])
def test_an_attorney_accepts_an_invitation_to_a_second_organization(
    open_page: Callable[..., Page], locale: str
) -> None:
    home, other = OrganizationFactory(name="Home Clinic"), OrganizationFactory(name="Defensa Unida")
    lawyer = UserFactory(role=Role.ATTORNEY, email="lawyer@example.org")
    MembershipFactory(user=lawyer, organization=home)
    secret = enrol_totp(lawyer)
    boss = UserFactory(role=Role.PROVIDER_ADMIN, first_name="Rosa", last_name="Pérez")
    MembershipFactory(user=boss, organization=other)
    membership_invite(organization=other, email=lawyer.email, role=Role.ATTORNEY, by=boss)
    assert not Membership.objects.filter(user=lawyer, organization=other).exists()

    page = open_page(locale=locale)
    page.set_viewport_size({"width": 375, "height": 740})
    english = locale == "en-US"
    _sign_in(
        page,
        lawyer.email,
        secret,
        sign_in="Sign in" if english else "Iniciar sesión",
        email_label="Email" if english else "Correo electrónico",
        password_label="Password" if english else "Contraseña",
        code_label="Authenticator code" if english else "Código del autenticador",
    )
    page.goto("/organizations/invitations/")
    expect(page.get_by_text("Rosa Pérez")).to_contain_text("Defensa Unida")
    page.get_by_role("button", name="Accept" if english else "Aceptar").click()
    expect(
        page.get_by_text(("You joined %s." if english else "Usted se unió a %s.") % "Defensa Unida")
    ).to_be_visible()
    expect(
        page.get_by_text(
            "No invitation is waiting for you."
            if english
            else "No tiene ninguna invitación pendiente."
        )
    ).to_be_visible()
    assert Membership.objects.get(user=lawyer, organization=other).is_active
