"""Getting help in a real browser, every page checked by axe-core (see conftest.py):

a Spanish speaker asks for a lawyer for a detained relative on a phone-sized screen and checks
the status; an intake worker enters a detained person from a detention visit; the provider
admin accepts the referral; the case exists and its attorney sees it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from amparo.accounts.roles import Role
from amparo.cases.models import Case
from amparo.intake.models import HelpRequest, IntakePolicy, RequestState
from amparo.intake.policy import forget_cached_rules
from amparo.organizations.models import Office, PracticeArea
from amparo.referrals.models import Referral, ReferralStatus
from tests.clock import travelling
from tests.intake.helpers import (
    AttorneyProfileFactory,
    MembershipFactory,
    OrganizationFactory,
    ProgramFactory,
    UserFactory,
    enrol_totp,
)

from .conftest import screenshot
from .people import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vault_keys"),
    travelling,
]

FACILITY = "Aurora Contract Detention Facility"
COURT = "Aurora Immigration Court"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def fund(db: Any) -> Iterator[dict[str, Any]]:
    """A program with Front Range rules, and a provider with a Spanish-speaking attorney."""
    forget_cached_rules()
    IntakePolicy.objects.create(
        program=ProgramFactory(name="Detained and removal defense", slug="defense"),
        counties=["Denver", "Arapahoe", "Adams"],
        facilities=[{"name": FACILITY, "county": "Arapahoe", "local": True}],
        courts=[COURT, "Denver Immigration Court"],
        interpreter_languages=["quc", "mam"],
    )
    org = OrganizationFactory(name="Front Range Detention Defense Project")
    Office.objects.create(
        organization=org, name="Aurora office", city="Aurora", counties_served=["Arapahoe", "Adams"]
    )
    admin = UserFactory(
        role=Role.PROVIDER_ADMIN,
        first_name="Inés",
        last_name="Cárdenas",
        email="ines.cardenas@example.org",
    )
    attorney = UserFactory(
        role=Role.ATTORNEY,
        first_name="Marisol",
        last_name="Quintero",
        email="marisol.quintero@example.org",
    )
    worker = UserFactory(
        role=Role.INTAKE_WORKER,
        first_name="Tomás",
        last_name="Rivas",
        email="tomas.rivas@example.org",
    )
    for user in (admin, attorney):
        MembershipFactory(user=user, organization=org)
    profile = AttorneyProfileFactory(
        user=attorney,
        organization=org,
        languages=["en", "es", "quc"],
        practice_areas=[PracticeArea.DETAINED_REMOVAL, PracticeArea.BOND],
        capacity=12,
    )
    secrets = {user.email: enrol_totp(user) for user in (admin, attorney, worker)}
    yield {
        "org": org,
        "admin": admin,
        "attorney": attorney,
        "worker": worker,
        "profile": profile,
        "secrets": secrets,
    }
    forget_cached_rules()


def cont(page: Page) -> None:
    page.get_by_role("button", name="Continuar").click()


def test_a_spanish_speaker_asks_for_help_on_a_phone_and_checks_the_status(
    open_page: Any, fund: dict[str, Any]
) -> None:
    page = open_page(locale="es-MX")
    page.set_viewport_size(PHONE)
    page.goto("/help/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Pida un abogado de inmigración gratuito"
    )
    screenshot(page, "help-start-es")
    page.get_by_role("button", name="Empezar").click()

    page.get_by_label("Un familiar o alguien cercano a mí").check()
    cont(page)
    page.get_by_label("¿Cuál es el nombre completo de la persona?").fill(
        "Rosa Elvira Quispe Huamán"
    )
    cont(page)
    page.get_by_label("Sí, está detenida ahora").check()
    cont(page)
    page.get_by_label(FACILITY).check()
    cont(page)
    # Bad input first: a translated message at the top and beside the field, nothing kept.
    page.get_by_label("¿Cuál es el número A de la persona?").fill("A-12-34")
    cont(page)
    expect(page.get_by_role("alert")).to_contain_text("Hay un problema")
    expect(page.locator("#id_a_number-error")).to_contain_text("8 o 9 dígitos")
    screenshot(page, "help-error-es")
    page.get_by_label("¿Cuál es el número A de la persona?").fill("A-212-345-678")
    cont(page)
    hearing = timezone.localdate() + datetime.timedelta(days=9)
    page.get_by_label("Día").fill(str(hearing.day))
    page.get_by_label("Mes").fill(str(hearing.month))
    page.get_by_label("Año").fill(str(hearing.year))
    page.get_by_label("¿En qué corte de inmigración?").select_option(COURT)
    cont(page)
    page.get_by_label("No", exact=True).check()
    cont(page)
    page.get_by_label("No, o no lo sé").check()
    cont(page)
    page.get_by_label("Código postal").fill("80010")
    page.get_by_label("Condado").select_option("Arapahoe")
    cont(page)
    page.get_by_label("¿Cuántas personas viven en el hogar?").fill("4")
    cont(page)
    page.get_by_label("De $25,000 a $35,000").check()
    cont(page)
    expect(page.get_by_label("¿En qué idioma es mejor hablar con un abogado?")).to_have_value("es")
    page.get_by_label("Sí", exact=True).check()
    cont(page)
    page.get_by_label("A través de un familiar o amigo").check()
    page.get_by_label("Nombre del familiar o amigo").fill("Juana Quispe")
    page.get_by_label("Su número de teléfono").fill("(303) 555-0142")
    cont(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Revise sus respuestas y envíelas")
    expect(page.get_by_text("Rosa Elvira Quispe Huamán")).to_be_visible()
    assert HelpRequest.objects.count() == 0  # nothing is saved before consent
    page.get_by_label("Estoy de acuerdo").check()
    screenshot(page, "help-check-es")
    page.get_by_role("button", name="Aceptar y enviar la solicitud").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Solicitud enviada")
    reference = page.locator("#reference").inner_text()
    code = page.locator("#status-code").inner_text()
    assert re.fullmatch(r"H-[0-9A-Z]{4}-[0-9A-Z]{4}", reference)
    assert "Quispe" not in page.url and reference not in page.url
    screenshot(page, "help-done-es")
    request = HelpRequest.objects.get(reference=reference)
    assert request.language == "es" and request.detained and request.needs_interpreter
    referral = Referral.objects.get(help_request=request)  # routed after the commit
    assert referral.organization == fund["org"] and referral.status == ReferralStatus.PENDING

    page.get_by_role("link", name="Consultar el estado más tarde").click()
    page.get_by_label("Referencia").fill(reference.lower().replace("-", " "))
    page.get_by_label("Código privado de estado").fill(code)
    page.get_by_role("button", name="Consultar el estado").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Una organización de servicios legales está revisando su solicitud"
    )
    assert reference not in page.url and code not in page.url
    screenshot(page, "help-status-es")
    # A wrong code shows nothing about the request.
    page.get_by_role("link", name="Consultar otra solicitud").click()
    page.get_by_label("Referencia").fill(reference)
    page.get_by_label("Código privado de estado").fill("2222-3333-4444-5555")
    page.get_by_role("button", name="Consultar el estado").click()
    expect(page.get_by_role("alert")).to_contain_text("No encontramos ninguna solicitud")


def test_an_intake_worker_enters_a_detained_person_the_provider_accepts_and_the_attorney_sees_the_case(
    open_page: Any, fund: dict[str, Any]
) -> None:
    worker, admin, attorney = fund["worker"], fund["admin"], fund["attorney"]
    page = open_page()
    sign_in(page, worker, fund["secrets"][worker.email])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Help requests").click()
    page.get_by_role("link", name="Enter a new request").click()
    expect(page.get_by_label("Full name")).to_be_focused()  # keyboard first: type right away
    page.keyboard.type("Teodoro Baltazar Ixcoy")
    page.get_by_label("A-number").fill("A 203 456 789")
    page.get_by_label("Detained", exact=True).check()
    page.get_by_label("Detention facility").select_option(FACILITY)
    page.get_by_label("Next hearing").fill(
        (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    )
    page.get_by_label("Immigration court").select_option(COURT)
    page.get_by_label("Household size").fill("3")
    page.get_by_label("Yearly household income (dollars)").fill("14000")
    page.get_by_label("Language for the lawyer").select_option("quc")
    page.get_by_label("Needs an interpreter").check()
    page.get_by_label("Through a relative or friend").check()
    page.get_by_label("Relative or friend's name").fill("Ana Ixcoy")
    page.get_by_label("Relative or friend's phone").fill("720 555 0134")
    page.get_by_label("Detention visit").check()
    screenshot(page, "intake-new")
    page.get_by_role("button", name="Save the request").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Request H-")
    expect(page.get_by_text("Detained: people in detention go first. (+1000)")).to_be_visible()
    request = HelpRequest.objects.get()
    assert request.source == "detention_visit" and request.state == RequestState.REFERRED
    screenshot(page, "intake-detail")

    # The provider admin, on their own computer.
    page = open_page()
    sign_in(page, admin, fund["secrets"][admin.email])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Referrals").click()
    page.get_by_role("link", name=request.reference).click()
    expect(page.get_by_text("Teodoro Baltazar Ixcoy")).to_be_visible()
    expect(page.get_by_label("Lead attorney")).to_contain_text("Marisol Quintero")
    screenshot(page, "referral-detail")
    page.get_by_role("button", name="Accept and open the case").click()
    expect(
        page.get_by_text(f"You accepted the referral {request.reference}. The case is open.")
    ).to_be_visible()
    case = Case.objects.get()
    assert (
        case.lead_attorney == attorney
        and case.organization == fund["org"]
        and case.custody == "detained"
    )
    request.refresh_from_db()
    assert request.state == RequestState.PLACED

    # The attorney, on theirs.
    page = open_page()
    sign_in(page, attorney, fund["secrets"][attorney.email])
    page.goto("/cases/")
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_text("Teodoro Baltazar Ixcoy").first).to_be_visible()
