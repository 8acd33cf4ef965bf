"""A visitor on a phone gives to the fund in Spanish: start, details, checkout, thanks."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from amparo.donations.models import Gift, Pledge

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vault_keys"),
]


def test_a_monthly_gift_in_spanish_on_a_phone(open_page: Callable[..., Page]) -> None:
    page = open_page(locale="es-MX")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/donate/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Donar al fondo")

    amount = page.get_by_label("Monto en dólares estadounidenses")
    amount.fill("muchos")
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("alert")).to_contain_text("Hay un problema")
    expect(page.locator(".field-error .error-message")).to_contain_text("Escriba un monto")

    page.get_by_label("Monto en dólares estadounidenses").fill("25,50")
    page.get_by_label("Cada mes").check()
    page.get_by_role("button", name="Continuar").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sobre usted")
    expect(page.get_by_text("Está donando $25.50.")).to_be_visible()
    page.get_by_label("Su nombre").fill("Lucía Ramos")
    page.get_by_label("Su correo electrónico").fill("lucia.ramos@example.net")
    page.get_by_label("Pueden darme las gracias con mi nombre").check()
    page.get_by_role("button", name="Continuar al pago").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Página de pago de demostración")
    expect(page.get_by_text("Cada mes")).to_be_visible()
    page.get_by_role("button", name="Pagar (demostración)").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Gracias")
    expect(page.get_by_text("Recibimos su donación de $25.50.")).to_be_visible()
    expect(
        page.get_by_text(
            "Su donación se repetirá el mismo día cada mes hasta que usted la cancele."
        )
    ).to_be_visible()
    gift = Gift.objects.select_related("donor").get()
    assert gift.amount == 2_550 and gift.donor is not None and gift.donor.language == "es"
    assert Pledge.objects.get().frequency == "monthly"
