"""Notifications in a real browser (every page checked by axe-core): a provider administrator
sees the unread count in the header, opens the notifications page, follows the link to the
referral, marks it read; in English, then in Spanish."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from amparo.accounts.roles import Role
from tests.clock import travelling
from tests.factories import MembershipFactory, UserFactory, enrol_totp
from tests.intake.helpers import (  # noqa: F401  (fixtures)
    fake,
    fresh_rules_cache,
    make_provider,
    policy,
    route,
    submit,
)

from .conftest import screenshot
from .people import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vault_keys", "policy", "fresh_rules_cache"),
    travelling,
]


@pytest.mark.usefixtures("make_provider", "submit")
def test_a_provider_admin_reads_a_referral_notification(
    page: Page, request: pytest.FixtureRequest
) -> None:
    provider: Any = request.getfixturevalue("make_provider")
    send: Any = request.getfixturevalue("submit")
    org, _first_admin, _profile = provider()
    admin = UserFactory(role=Role.PROVIDER_ADMIN)  # type: ignore[no-untyped-call]
    MembershipFactory(user=admin, organization=org)  # type: ignore[no-untyped-call]
    help_request = send().help_request
    referral = route(help_request)
    sign_in(page, admin, enrol_totp(admin))

    nav = page.get_by_role("navigation", name="Main")
    link = nav.get_by_role("link", name="Notifications 1 unread")
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    item = page.get_by_role("listitem").filter(has_text=help_request.reference)
    expect(item).to_contain_text("Urgent: a referral for a detained person arrived")
    screenshot(page, "notifications")

    page.get_by_role("link", name=f"Open {help_request.reference}").click()
    expect(page).to_have_url(f"{page.url.split('/referrals/')[0]}/referrals/{referral.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(help_request.reference)

    page.get_by_label("Language", exact=True).select_option("es")
    page.get_by_role("button", name="Change language").click()
    nav = page.get_by_role("navigation", name="Principal")
    nav.get_by_role("link", name="Notificaciones 1 sin leer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notificaciones")
    expect(page.get_by_role("listitem").filter(has_text=help_request.reference)).to_contain_text(
        "Urgente: llegó a su organización una remisión de una persona detenida"
    )
    page.get_by_role("button", name=f"Marcar {help_request.reference} como leída").click()
    expect(page.get_by_role("status")).to_have_text("Marcada como leída.")
    expect(nav.get_by_role("link", name="Notificaciones", exact=True)).to_be_visible()
    expect(page.get_by_text("0 notificaciones sin leer.")).to_be_visible()

    page.get_by_role("link", name="Elija qué correos electrónicos recibe").click()
    urgent = page.get_by_label("Llega una remisión de una persona detenida")
    expect(urgent).to_be_checked()
    expect(urgent).to_be_disabled()
    page.get_by_label("Llega una remisión", exact=True).uncheck()
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("status")).to_have_text(
        "Se guardaron sus preferencias de correo electrónico."
    )
    expect(page.get_by_label("Llega una remisión", exact=True)).not_to_be_checked()
