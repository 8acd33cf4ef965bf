"""An intake worker on a phone corrects a request and reads the change in its history, in
English, then in Spanish (every page checked by axe-core)."""

from __future__ import annotations

import pytest
from faker import Faker
from playwright.sync_api import Page, expect

from amparo.accounts.roles import Role
from amparo.core.services import SYSTEM
from amparo.intake.models import HelpRequest
from amparo.intake.services import help_request_submit
from tests.clock import travelling
from tests.factories import UserFactory, enrol_totp
from tests.intake.helpers import policy, request_data  # noqa: F401  (policy is a fixture)

from .conftest import screenshot
from .people import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vault_keys", "policy"),
    travelling,
]
PHONE = {"width": 375, "height": 740}


#: The elements that reach past the right edge of the screen, to say which one overflows.
_PAST_THE_EDGE = """(edge) => [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > edge)
    .slice(0, 5)
    .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`)"""


def _fits_the_screen(page: Page) -> None:
    # Measured once the page and its style sheets and fonts have loaded, as a person sees it.
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(_PAST_THE_EDGE, PHONE["width"]) if width > PHONE["width"] else []
    assert width <= PHONE["width"], (
        f"the page is {width}px wide on a {PHONE['width']}px screen: {wide}"
    )


def test_an_intake_worker_corrects_a_request_on_a_phone(page: Page) -> None:
    data = request_data(Faker(), name="Rosa Elvia Tzul", household_size=3)
    request = help_request_submit(data=data, source="hotline", by=SYSTEM).help_request
    worker = UserFactory(role=Role.INTAKE_WORKER)  # type: ignore[no-untyped-call]
    page.set_viewport_size(PHONE)
    sign_in(page, worker, enrol_totp(worker))

    page.goto(f"/intake/requests/{request.pk}/")
    expect(page.get_by_role("heading", level=2, name="Change history")).to_be_visible()
    page.get_by_role("link", name="Correct the request").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Correct request")
    _fits_the_screen(page)
    page.get_by_label("Full name").fill("Rosa Elvira Tzul")
    page.get_by_label("Household size").fill("forty")
    page.get_by_role("button", name="Save the corrections").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a whole number, like 3.")
    assert HelpRequest.objects.get(pk=request.pk).name == "Rosa Elvia Tzul"
    page.get_by_label("Household size").fill("4")
    page.get_by_role("button", name="Save the corrections").click()
    expect(page.get_by_text("The corrections were saved.")).to_be_visible()
    history = page.locator("ul.history")
    expect(history).to_contain_text("Corrected (Household size, Full name)")
    expect(page.get_by_text("Rosa Elvira Tzul")).to_be_visible()
    _fits_the_screen(page)
    history.scroll_into_view_if_needed()
    screenshot(page, "intake-corrected")

    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    page.get_by_role("link", name="Corregir la solicitud").click()
    page.get_by_label("Tamaño del hogar").fill("5")
    page.get_by_role("button", name="Guardar las correcciones").click()
    expect(page.get_by_text("Se guardaron las correcciones.")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Historial de cambios")).to_be_visible()
    expect(page.locator("ul.history li").first).to_contain_text("Corregida (Tamaño del hogar)")
    expect(page.locator("ul.history li")).to_have_count(3)
    _fits_the_screen(page)
    stored = HelpRequest.objects.get(pk=request.pk)
    assert stored.household_size == 5 and stored.name == "Rosa Elvira Tzul"
    first = stored.changes.order_by("changed_at").first()
    assert first is not None and first.previous["name"] == "Rosa Elvia Tzul"
