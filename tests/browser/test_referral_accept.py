"""A provider admin opens a referral, sees the attorney the form proposes (the one with the most
room who speaks the person's language; the one not accepting cases apart), is told beside the
field that a decline needs a reason, accepts, and lands on the new case. English and Spanish;
axe checks every page."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from faker import Faker
from playwright.sync_api import Page, expect

from amparo.accounts.roles import Role
from amparo.cases.models import Case
from amparo.core.services import SYSTEM
from amparo.intake.models import IntakePolicy
from amparo.intake.policy import forget_cached_rules
from amparo.intake.services import help_request_submit
from amparo.organizations.models import Office
from amparo.referrals.models import ReferralStatus
from amparo.referrals.services import referral_route
from tests.clock import travelling
from tests.factories import PASSWORD
from tests.intake.helpers import (
    COURT,
    FACILITY,
    AttorneyProfileFactory,
    MembershipFactory,
    OrganizationFactory,
    ProgramFactory,
    UserFactory,
    enrol_totp,
    request_data,
)
from tests.support.totp import totp_code

from .conftest import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("vault_keys"),
    travelling,
]

WORDS = {
    "en-US": {
        "email": "Email",
        "password": "Password",
        "code": "Authenticator code",
        "sign_in": "Sign in",
        "nav": "Main",
        "referrals": "Referrals",
        "lead": "Lead attorney",
        "proposed": "Marisol Quintero — 6 cases of room — speaks Spanish",
        "apart": "Not accepting cases",
        "decline": "Decline",
        "problem": "There is a problem",
        "no_reason": "Why can you not take it?: Choose a reason.",
        "accept": "Accept and open the case",
        "accepted": "You accepted the referral {ref}. The case is open.",
        "case": "Case {ref}",
    },
    "es-MX": {
        "email": "Correo electrónico",
        "password": "Contraseña",
        "code": "Código del autenticador",
        "sign_in": "Iniciar sesión",
        "nav": "Principal",
        "referrals": "Remisiones",
        "lead": "Abogado principal",
        "proposed": "Marisol Quintero — espacio para 6 casos — habla Español",
        "apart": "No aceptan casos",
        "decline": "Rechazar",
        "problem": "Hay un problema",
        "no_reason": "¿Por qué no pueden tomarla?: Elija una razón.",
        "accept": "Aceptar y abrir el caso",
        "accepted": "Aceptó la remisión {ref}. El caso está abierto.",
        "case": "Caso {ref}",
    },
}


@pytest.fixture
def referral(db: Any) -> Iterator[Any]:
    """A detained Spanish speaker's request, sent to a provider with three attorneys."""
    forget_cached_rules()
    IntakePolicy.objects.create(
        program=ProgramFactory(name="Detained and removal defense", slug="defense"),
        counties=["Denver", "Adams"],
        facilities=[{"name": FACILITY, "county": "Adams", "local": True}],
        courts=[COURT],
    )
    org = OrganizationFactory(name="Front Range Detention Defense Project")
    Office.objects.create(organization=org, name="Main", city="Denver", counties_served=[])
    admin = UserFactory(role=Role.PROVIDER_ADMIN, email="ines.cardenas@example.org")
    MembershipFactory(user=admin, organization=org)
    for first, last, languages, capacity, accepting in (
        ("Daniel", "Brooks", ["en"], 15, True),  # more room, but no Spanish
        ("Marisol", "Quintero", ["en", "es"], 6, True),  # the proposal
        ("Lucía", "Ferrer", ["es"], 30, False),  # not accepting new cases
    ):
        user = UserFactory(role=Role.ATTORNEY, first_name=first, last_name=last)
        MembershipFactory(user=user, organization=org)
        AttorneyProfileFactory(
            user=user,
            organization=org,
            languages=languages,
            capacity=capacity,
            accepting_new_cases=accepting,
        )
    fake = Faker(["es_MX"])
    fake.seed_instance(12)
    submission = help_request_submit(
        data=request_data(fake, spoken_language="es"), source="public", by=SYSTEM
    )
    sent = referral_route(help_request=submission.help_request, by=SYSTEM)
    assert sent is not None and sent.organization == org
    yield {"referral": sent, "admin": admin, "secret": enrol_totp(admin)}
    forget_cached_rules()


@pytest.mark.parametrize("locale", ["en-US", "es-MX"])
def test_a_provider_admin_accepts_with_the_proposed_attorney_and_lands_on_the_case(
    open_page: Callable[..., Page], referral: dict[str, Any], locale: str
) -> None:
    words = WORDS[locale]
    sent, admin = referral["referral"], referral["admin"]
    reference = sent.help_request.reference
    page = open_page(locale=locale)
    page.goto("/accounts/login/")
    page.get_by_label(words["email"]).fill(admin.email)
    page.get_by_label(words["password"]).fill(PASSWORD)
    page.get_by_role("button", name=words["sign_in"]).click()
    page.get_by_label(words["code"]).fill(totp_code(referral["secret"]))
    page.get_by_role("button", name=words["sign_in"]).click()

    page.get_by_role("navigation", name=words["nav"]).get_by_role(
        "link", name=words["referrals"]
    ).click()
    page.get_by_role("link", name=reference).click()
    lead = page.get_by_label(words["lead"])
    expect(lead.locator("option:checked")).to_have_text(words["proposed"])
    expect(lead.locator(f'optgroup[label="{words["apart"]}"] option')).to_have_text(
        re.compile("Lucía Ferrer")
    )
    screenshot(page, f"referral-accept-{locale[:2]}")

    # Declining without a reason: the page says so, at the top and beside the question.
    page.get_by_role("button", name=words["decline"], exact=True).click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading")).to_have_text(words["problem"])
    summary.get_by_role("link", name=words["no_reason"]).click()
    expect(page.locator("#id_reason_0")).to_be_focused()
    expect(page.locator("#id_reason_error")).to_be_visible()
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.PENDING

    page.get_by_role("button", name=words["accept"]).click()
    case = Case.objects.get(referral_id=sent.pk)
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    expect(page.get_by_text(words["accepted"].format(ref=reference))).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        words["case"].format(ref=case.reference)
    )
    assert case.lead_attorney.last_name == "Quintero"
