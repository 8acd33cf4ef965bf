"""Staff lists in a real browser on a phone-size screen (every page checked by axe-core): an
intake worker filters the queue by custody and priority, pages to page 2 with the filters kept,
in English and then in Spanish."""

from __future__ import annotations

from typing import Any

import pytest
from faker import Faker
from playwright.sync_api import Page, expect

from amparo.accounts.roles import Role
from amparo.core.services import SYSTEM
from amparo.core.terms import Custody
from amparo.intake import views as intake_views
from amparo.intake.models import HelpRequest
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

PHONE = {"width": 375, "height": 740}


def _references(page: Page) -> list[str]:
    table = page.get_by_role("table")
    return [
        text.strip()
        for text in table.locator("tbody tr td:first-child").all_inner_texts()
        if text.strip()
    ]


def test_an_intake_worker_filters_and_pages_the_queue_on_a_phone(
    page: Page, monkeypatch: Any
) -> None:
    monkeypatch.setattr(intake_views, "QUEUE_PAGE_SIZE", 2)
    fake = Faker()
    for _ in range(3):
        help_request_submit(data=request_data(fake), source="public", by=SYSTEM)
    for custody in (Custody.RELEASED, Custody.NEVER_DETAINED):
        data = request_data(fake, custody=custody, facility="", next_hearing=None)
        help_request_submit(data=data, source="public", by=SYSTEM)
    detained = HelpRequest.objects.filter(custody=Custody.DETAINED)
    lowest = min(r.priority for r in detained)
    expected = {r.reference for r in detained}
    worker = UserFactory(role=Role.INTAKE_WORKER)  # type: ignore[no-untyped-call]
    page.set_viewport_size(PHONE)
    sign_in(page, worker, enrol_totp(worker))

    page.goto("/intake/")
    page.get_by_label("Custody", exact=True).select_option(label="Detained")
    page.get_by_label("Priority at least").fill(str(lowest))
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_text("3 results")).to_be_visible()
    assert "custody=detained" in page.url and f"min_priority={lowest}" in page.url
    pages = page.get_by_role("navigation", name="Pages of the list")
    expect(pages.locator("[aria-current=page]")).to_have_text("Page 1 of 2")
    first = _references(page)
    assert len(first) == 2
    screenshot(page, "intake-queue-filtered-phone")
    pages.get_by_role("link", name="Next page").click()
    expect(pages.locator("[aria-current=page]")).to_have_text("Page 2 of 2")
    second = _references(page)
    assert set(first) | set(second) == expected and len(second) == 1
    expect(page.get_by_label("Custody", exact=True)).to_have_value("detained")

    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("button", name="Cambiar idioma")).to_be_visible()
    page.get_by_role("link", name="Quitar filtros").click()
    expect(page.get_by_text("5 resultados")).to_be_visible()
    page.get_by_label("Custodia", exact=True).select_option(label="Detenido")
    page.get_by_label("Prioridad mínima").fill(str(lowest))
    page.get_by_role("button", name="Mostrar", exact=True).click()
    expect(page.get_by_text("3 resultados")).to_be_visible()
    paginas = page.get_by_role("navigation", name="Páginas de la lista")
    expect(paginas.locator("[aria-current=page]")).to_have_text("Página 1 de 2")
    paginas.get_by_role("link", name="Página siguiente").click()
    expect(paginas.locator("[aria-current=page]")).to_have_text("Página 2 de 2")
    assert set(_references(page)) == set(second)
