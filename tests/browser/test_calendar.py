"""An attorney on a phone, in Spanish, reads next month's hearings in the calendar, switches to
the month grid and opens the printable view. Every page is checked by axe-core."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import cast

import pytest
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.cases.services import case_open, hearing_add
from amparo.organizations.models import ProviderOrganization
from amparo.vault.services import subject_create
from tests.clock import FROZEN_TODAY, travelling
from tests.factories import (
    PASSWORD,
    AttorneyProfileFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    enrol_totp,
)
from tests.support.totp import totp_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vault_keys"),
    travelling,
]
PHONE = {"width": 375, "height": 740}


def test_an_attorney_reads_next_month_s_hearings_on_a_phone_in_spanish(
    open_page: Callable[..., Page],
) -> None:
    org = cast(ProviderOrganization, OrganizationFactory())  # type: ignore[no-untyped-call]
    attorney = cast(
        User,
        UserFactory(role=Role.ATTORNEY, first_name="Lucía", last_name="Paredes"),  # type: ignore[no-untyped-call]
    )
    MembershipFactory(user=attorney, organization=org)  # type: ignore[no-untyped-call]
    AttorneyProfileFactory(user=attorney, organization=org)  # type: ignore[no-untyped-call]
    secret = enrol_totp(attorney)
    case = case_open(
        organization=org,
        lead_attorney=attorney,
        subject=subject_create(kind="client"),
        client={"name": "Esperanza Ramírez", "a_number": "A-201-555-018"},
        custody="never_detained",
        court="Denver Immigration Court",
        by=attorney,
    )
    # Next month (the clock is at May 13, 2026): an individual hearing on June 17 at 8:30, and
    # a bond hearing in July that June's page must not show.
    june = datetime.date(2026, 6, 17)
    assert june.month == FROZEN_TODAY.month + 1
    hearing_add(case=case, kind="individual", date=june, time=datetime.time(8, 30), by=attorney)
    hearing_add(case=case, kind="bond", date=datetime.date(2026, 7, 8), time=None, by=attorney)

    page = open_page(locale="es-MX")
    page.set_viewport_size(PHONE)
    page.goto("/accounts/login/")
    page.get_by_label("Correo electrónico").fill(attorney.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Código del autenticador").fill(totp_code(secret))
    page.get_by_role("button", name="Iniciar sesión").click()

    nav = page.get_by_role("navigation", name="Principal")
    nav.get_by_text("Menú").click()  # on a phone the menu is closed until opened
    nav.get_by_role("link", name="Calendario").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendario")
    page.get_by_label("Desde", exact=True).fill("2026-06-01")
    page.get_by_label("Hasta", exact=True).fill("2026-06-30")
    page.get_by_label("Qué", exact=True).select_option(label="Audiencias")
    page.get_by_role("button", name="Mostrar").click()

    with translation.override("es"):
        heading = f"{date_format(june, 'l')}, {date_format(june, 'DATE_FORMAT')}"
    agenda = page.get_by_role("region", name="Agenda")
    day = page.get_by_role("heading", level=3, name=heading)
    expect(day).to_be_visible()
    expect(agenda).to_contain_text("Audiencia individual (de fondo)")
    expect(agenda).to_contain_text(case.reference)
    expect(agenda).not_to_contain_text("Audiencia de fianza")
    expect(page.get_by_text("Del 1 de junio de 2026 al 30 de junio de 2026")).to_be_visible()

    page.get_by_role("link", name="Mes").click()
    expect(page.get_by_role("heading", level=2, name="junio de 2026")).to_be_visible()
    grid = page.get_by_role("table", name="junio de 2026")
    expect(grid.get_by_role("columnheader").first).to_have_text("lun")
    cell = grid.get_by_role("cell").filter(has_text="Audiencia individual (de fondo)")
    expect(cell).to_have_count(1)
    expect(cell.locator(".day-number")).to_have_text("17")
    # The filters stayed: still June, still hearings only.
    expect(page.get_by_label("Desde", exact=True)).to_have_value("2026-06-01")

    page.get_by_role("link", name="Versión para imprimir").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendario")
    row = page.get_by_role("row").filter(has_text=case.reference)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("17 de junio de 2026")
    expect(row).to_contain_text("8:30")
