"""A provider admin removes a client's data on request, in Spanish, on a phone: the confirmation
page, a refused blank reason, then the case page that says the person was removed."""

from __future__ import annotations

from typing import cast

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.cases.models import Case
from amparo.cases.services import case_open
from amparo.organizations.models import ProviderOrganization
from amparo.vault.models import Subject
from amparo.vault.services import subject_create
from tests.clock import travelling
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, enrol_totp

from .conftest import screenshot
from .people import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vault_keys"),
    travelling,
]

PHONE: ViewportSize = {"width": 360, "height": 740}
NAME = "Esperanza Lucía Ramírez Soto"


def test_a_provider_admin_removes_a_client_on_request_in_spanish_on_a_phone(page: Page) -> None:
    org = cast(ProviderOrganization, OrganizationFactory())  # type: ignore[no-untyped-call]
    admin = cast(
        User,
        UserFactory(role=Role.PROVIDER_ADMIN, email="directora@example.org"),  # type: ignore[no-untyped-call]
    )
    MembershipFactory(user=admin, organization=org)  # type: ignore[no-untyped-call]
    secret = enrol_totp(admin)
    case: Case = case_open(
        organization=org,
        lead_attorney=None,
        subject=subject_create(kind="client"),
        client={"name": NAME, "a_number": "A-201-555-017", "phone": "(303) 555-0199"},
        custody="never_detained",
        by=admin,
    )

    page.set_viewport_size(PHONE)
    sign_in(page, admin, secret)
    page.get_by_label("Language").select_option(label="Español")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")

    page.goto("/cases/")
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_text(NAME).first).to_be_visible()
    page.get_by_role("link", name="Eliminar a petición").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Eliminar a petición los datos del cliente"
    )
    expect(page.get_by_role("heading", name="Lo que se destruirá")).to_be_visible()
    expect(page.get_by_role("heading", name="Lo que se conserva")).to_be_visible()

    page.get_by_role("button", name="Eliminar los datos para siempre").click()
    expect(page.get_by_role("alert")).to_contain_text("Diga por qué se eliminan los datos.")
    assert Subject.objects.get(pk=case.subject_id).shredded_at is None

    page.get_by_label("¿Por qué se eliminan los datos?").fill("Lo pidió por escrito.")
    screenshot(page, "client-remove-es-phone")
    page.get_by_role("button", name="Eliminar los datos para siempre").click()
    expect(page.get_by_text("Se eliminaron los datos del cliente.", exact=False)).to_be_visible()
    expect(page.get_by_text("[eliminado a petición]").first).to_be_visible()
    expect(page.get_by_text(NAME)).to_have_count(0)
    assert Subject.objects.get(pk=case.subject_id).shredded_at is not None

    page.goto("/cases/")
    expect(page.get_by_role("cell", name="[eliminado a petición]")).to_be_visible()
