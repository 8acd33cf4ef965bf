"""The fund's money in a real browser: the treasurer reads the books; a visitor reads the
transparency page in Spanish and gives through the demo payment processor."""

from __future__ import annotations

import datetime
from typing import Any, cast

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.core.services import SYSTEM
from amparo.donations.models import Gift
from amparo.donations.services import donor_create, gift_record
from tests.clock import travelling
from tests.factories import UserFactory, city_money, enrol_totp

from .conftest import screenshot
from .people import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vault_keys"),
    travelling,
]


def _books() -> Any:
    day = timezone.localdate() - datetime.timedelta(days=5)
    city = city_money(on=day)
    public = donor_create(
        name="Rosa Delgado",
        email="rosa@example.net",
        public_name="Rosa D.",
        public_consent=True,
        by=SYSTEM,
    )
    private = donor_create(name="Walter Finch", email="walter@example.net", by=SYSTEM)
    gift_record(
        amount=12_345, currency="USD", received_on=day, reference="G-1", donor=public, by=SYSTEM
    )
    gift_record(
        amount=50_000, currency="USD", received_on=day, reference="G-2", donor=private, by=SYSTEM
    )
    return city


def test_treasurer_reads_the_trial_balance_and_the_statements(page: Page) -> None:
    _books()
    treasurer = cast(User, UserFactory(role=Role.FUND_ADMIN, email="treasurer@example.org"))  # type: ignore[no-untyped-call]
    secret = enrol_totp(treasurer)
    sign_in(page, treasurer, secret)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Books").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statement of financial position")
    expect(page.get_by_text("With restriction: City: detained removal defense")).to_be_visible()
    expect(page.get_by_text("$250,623.45").first).to_be_visible()
    screenshot(page, "ledger-position")

    page.get_by_role("link", name="Trial balance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trial balance")
    expect(page.get_by_text("The books balance")).to_be_visible()
    screenshot(page, "ledger-trial-balance")

    page.get_by_role("link", name="Activities").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statement of activities")
    expect(page.get_by_role("cell", name="Government appropriations")).to_be_visible()
    page.get_by_role("link", name="Financial position").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statement of financial position")


def test_visitor_reads_transparency_in_spanish_and_donates(open_page: Any) -> None:
    _books()
    page: Page = open_page("es-MX")
    page.goto("/transparency/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "De dónde viene el dinero y a dónde va"
    )
    expect(page.get_by_text("Rosa D.")).to_be_visible()
    expect(page.get_by_text("Walter")).to_have_count(0)
    expect(page.get_by_text("$250,000.00").first).to_be_visible()  # es_US: the US way
    expect(page.get_by_text("Todavía no se han otorgado subvenciones", exact=False)).to_be_visible()
    screenshot(page, "transparency-es")

    page.get_by_role("link", name="Donar al fondo").click()
    page.get_by_label("Monto en dólares estadounidenses").fill("0")
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("alert")).to_contain_text("mayor que cero")
    page.get_by_label("Monto en dólares estadounidenses").fill("35")
    page.get_by_label("Cada mes").check()
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sobre usted")
    page.get_by_role("button", name="Continuar al pago").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Página de pago de demostración")
    screenshot(page, "donate-checkout-es")
    page.get_by_role("button", name="Pagar (demostración)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gracias")
    expect(page.get_by_text("$35.00")).to_be_visible()
    gift = Gift.objects.get(channel="online")
    assert gift.pledge is not None
    assert (gift.amount, gift.donor, gift.pledge.frequency) == (3_500, None, "monthly")


def test_a_spanish_donor_who_types_25_comma_50_gives_25_dollars_50(open_page: Any) -> None:
    """Typed the way Spain and most of South America write it; asked, not guessed, when the
    amount could be read two ways; the checkout and the thanks say it the US way (es_US)."""
    page: Page = open_page("es-MX")
    page.goto("/donate/")
    amount = page.get_by_label("Monto en dólares estadounidenses")
    amount.fill("1.000")
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("alert")).to_contain_text("¿Quiso decir $1,000.00 o $1.00?")
    assert not Gift.objects.exists()
    amount.fill("25,50")
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sobre usted")
    expect(page.get_by_text("$25.50", exact=False)).to_be_visible()
    page.get_by_role("button", name="Continuar al pago").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Página de pago de demostración")
    expect(page.get_by_text("$25.50")).to_be_visible()
    page.get_by_role("button", name="Pagar (demostración)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gracias")
    expect(page.get_by_text("$25.50", exact=False)).to_be_visible()
    gift = Gift.objects.get(channel="online")
    assert (gift.amount, gift.currency) == (2_550, "USD")


def test_treasurer_records_public_money(page: Page) -> None:
    """The city appropriates $500,000 for detained defense; the first transfer arrives."""
    treasurer = cast(User, UserFactory(role=Role.FUND_ADMIN, email="treasurer@example.org"))  # type: ignore[no-untyped-call]
    secret = enrol_totp(treasurer)
    sign_in(page, treasurer, secret)
    today = timezone.localdate()
    page.goto("/donations/appropriations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Public money")
    page.get_by_role("link", name="New appropriation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New appropriation")
    page.get_by_label("Name", exact=True).fill("Detained defense FY27")
    page.get_by_label("Funder", exact=True).fill("City council")
    page.get_by_label("Or a new public restriction").fill("City: detained removal defense")
    page.get_by_label("Amount appropriated").fill("500,000")
    page.get_by_label("Period starts").fill(f"{today.year}-01-01")
    page.get_by_label("Period ends").fill(f"{today.year}-12-31")
    page.get_by_role("button", name="Create the appropriation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Detained defense FY27")
    expect(page.get_by_text("$500,000.00").first).to_be_visible()

    page.get_by_role("link", name="Record a payment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a payment")
    # more than the appropriation: refused beside the field, nothing recorded
    page.get_by_label("Amount received").fill("600000")
    page.get_by_label("Date received").fill(today.isoformat())
    page.get_by_label("Reference").fill("CITY-TR-1")
    page.get_by_role("button", name="Record the payment").click()
    expect(page.locator(".error-message").first).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a payment")
    page.get_by_label("Amount received").fill("125000")
    page.get_by_role("button", name="Record the payment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Detained defense FY27")
    expect(page.get_by_text("Payment CITY-TR-1 of $125,000.00 recorded.")).to_be_visible()
    expect(page.get_by_text("CITY-TR-1", exact=True)).to_be_visible()
    expect(page.get_by_text("$375,000.00").first).to_be_visible()  # what is left to receive
    screenshot(page, "appropriation-detail")
