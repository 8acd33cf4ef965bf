"""A donor on a phone, in Spanish, signs in with the link mailed to them: no password, no app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from amparo.core.services import SYSTEM
from amparo.donations.services import gift_record
from tests.factories import donor_account
from tests.support.donor_link import donor_link_path

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vault_keys"),
]


def test_a_donor_signs_in_by_link_on_a_phone_in_spanish(
    open_page: Callable[..., Page], mailoutbox: list[Any]
) -> None:
    _user, donor = donor_account(email="lucia.ramos@example.net", name="Lucía Ramos", language="es")
    gift_record(
        amount=5_000,
        currency="USD",
        received_on=timezone.localdate(),
        reference="LR-2026",
        donor=donor,
        by=SYSTEM,
    )
    page = open_page(locale="es-MX")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/accounts/donor/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Acceso para donantes")
    page.get_by_label("Su correo electrónico").fill("lucia.ramos@example.net")
    page.get_by_role("button", name="Envíenme un enlace para iniciar sesión").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revise su correo")

    [message] = mailoutbox
    assert message.to == ["lucia.ramos@example.net"]
    assert "Funciona durante 15 minutos y una sola vez" in message.body
    link = donor_link_path(message)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Inicie sesión en su página de donante"
    )
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url("**/donations/")
    expect(page.get_by_text("Le damos la bienvenida, Lucía Ramos.")).to_be_visible()
    expect(page.get_by_text("LR-2026")).to_be_visible()

    page.goto(link)  # the same link a second time
    expect(page.get_by_role("alert")).to_have_text(
        "Este enlace para iniciar sesión ya se usó. Pida uno nuevo abajo."
    )
