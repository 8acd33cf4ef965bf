"""Search in a real browser (every page checked by axe-core): an intake worker types a badly
formatted A-number, then a surname without its accent, in the header's box, and opens the
request; in English, then in Spanish."""

from __future__ import annotations

import pytest
from faker import Faker
from playwright.sync_api import Page, expect

from amparo.accounts.roles import Role
from amparo.core.services import SYSTEM
from amparo.intake.services import help_request_submit
from tests.factories import UserFactory, enrol_totp
from tests.intake.helpers import policy, request_data  # noqa: F401  (policy is a fixture)

from .conftest import screenshot
from .people import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vault_keys", "policy"),
]


def _search(page: Page, box: str, button: str, query: str) -> None:
    header = page.get_by_role("search").first
    header.get_by_label(box).fill(query)
    header.get_by_role("button", name=button).click()


def test_an_intake_worker_finds_a_request_from_the_header(page: Page) -> None:
    data = request_data(Faker(), name="Sofía Mejía Valadez", a_number="A201555123")
    request = help_request_submit(data=data, source="public", by=SYSTEM).help_request
    worker = UserFactory(role=Role.INTAKE_WORKER)  # type: ignore[no-untyped-call]
    sign_in(page, worker, enrol_totp(worker))

    _search(page, "Search requests and cases", "Search", "a 201 555-123")
    result = page.get_by_role("link", name=request.reference)
    expect(result).to_be_visible()
    expect(page.get_by_role("listitem").filter(has=result)).to_contain_text("Sofía Mejía Valadez")

    _search(page, "Search requests and cases", "Search", "mejia")
    expect(page.get_by_role("heading", level=2)).to_have_text("1 result")
    screenshot(page, "search-results")
    page.get_by_role("link", name=request.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(request.reference)

    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    _search(page, "Buscar solicitudes y casos", "Buscar", "A-201-555 123")
    expect(page.get_by_role("heading", level=2)).to_have_text("1 resultado")
    _search(page, "Buscar solicitudes y casos", "Buscar", "VALADEZ")
    expect(page.get_by_role("link", name=request.reference)).to_be_visible()
    _search(page, "Buscar solicitudes y casos", "Buscar", "sofia@")
    expect(page.get_by_role("alert")).to_have_text(
        "Esto no es una dirección de correo electrónico."
    )
