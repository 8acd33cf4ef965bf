"""Conflict checks: blind-index matches against the provider's clients and adverse parties."""

from __future__ import annotations

from typing import Any

import pytest

from amparo.audit.models import AuditEvent
from amparo.cases.models import AdverseParty as CaseAdverseParty
from amparo.cases.services import case_open
from amparo.referrals.conflicts import (
    ADVERSE_PARTY_IS_CLIENT,
    CLIENT_A_NUMBER,
    CLIENT_IS_ADVERSE_PARTY,
    CLIENT_NAME,
)
from amparo.referrals.models import ConflictStatus, ReferralStatus
from amparo.referrals.services import ReferralError, referral_accept
from amparo.vault.services import subject_create
from tests.intake.helpers import route

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(make_provider: Any) -> Any:
    return make_provider()


def _existing_case(
    org: Any, admin: Any, profile: Any, *, name: str, a_number: str = "", adverse: str = ""
) -> Any:
    case = case_open(
        organization=org,
        lead_attorney=profile.user,
        subject=subject_create(kind="client"),
        client={"name": name, "a_number": a_number},
        custody="never_detained",
        by=admin,
    )
    if adverse:
        CaseAdverseParty.objects.create(subject=case.subject, case=case, name=adverse)
    return case


def test_a_clear_request_is_not_flagged_and_the_check_is_audited(
    submit: Any, provider: Any
) -> None:
    org, admin, profile = provider
    _existing_case(org, admin, profile, name="Marta Lucía Ríos", a_number="A-098-765-432")
    referral = route(submit(name="Pedro Álvarez", a_number="A-011-222-333").help_request)
    assert referral.conflict == ConflictStatus.CLEAR and referral.conflict_matches == []
    event = AuditEvent.objects.get(action="referrals.conflict_check", object_id=str(referral.pk))
    assert event.reason == "clear" and event.fields == []


def test_the_same_a_number_in_another_spelling_is_a_hit(submit: Any, provider: Any) -> None:
    org, admin, profile = provider
    _existing_case(org, admin, profile, name="Marta Lucía Ríos", a_number="A-098-765-432")
    referral = route(submit(name="Marta Rios", a_number="098765432").help_request)
    assert referral.conflict == ConflictStatus.HIT and referral.conflict_matches == [
        CLIENT_A_NUMBER
    ]
    event = AuditEvent.objects.get(action="referrals.conflict_check", object_id=str(referral.pk))
    assert event.reason == "hit" and event.fields == ["client.a_number_index"]
    assert "098765432" not in str(event.fields) + event.reason  # kinds, never values


def test_adverse_parties_are_checked_both_ways(submit: Any, provider: Any) -> None:
    org, admin, profile = provider
    _existing_case(org, admin, profile, name="Ramón Ortega Díaz", adverse="Lucía Fernández")
    # The new person names an existing client as their adverse party ...
    one = route(
        submit(name="Ana Beltrán", a_number="", adverse_parties=["ramon ortega diaz"]).help_request
    )
    assert one.conflict_matches == [ADVERSE_PARTY_IS_CLIENT]
    # ... and a new person who is an adverse party in an existing case.
    two = route(submit(name="LUCIA FERNANDEZ", a_number="").help_request)
    assert two.conflict_matches == [CLIENT_IS_ADVERSE_PARTY]


def test_a_same_name_client_is_flagged(submit: Any, provider: Any) -> None:
    org, admin, profile = provider
    _existing_case(org, admin, profile, name="José Núñez")
    referral = route(submit(name="jose nunez", a_number="").help_request)
    assert referral.conflict_matches == [CLIENT_NAME]


def test_other_organizations_clients_do_not_count(
    submit: Any, provider: Any, make_provider: Any
) -> None:
    other_org, other_admin, other_profile = make_provider(counties=("Boulder",))
    _existing_case(
        other_org, other_admin, other_profile, name="Marta Lucía Ríos", a_number="A-098-765-432"
    )
    referral = route(submit(a_number="A-098-765-432").help_request)
    assert referral.organization == provider[0] and referral.conflict == ConflictStatus.CLEAR


def test_the_provider_decides_a_flagged_referral(submit: Any, provider: Any) -> None:
    org, admin, profile = provider
    _existing_case(org, admin, profile, name="Marta Lucía Ríos", a_number="A-098-765-432")
    referral = route(submit(a_number="A098765432").help_request)
    with pytest.raises(ReferralError) as error:
        referral_accept(referral=referral, by=admin)
    assert error.value.code == "conflict"
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING
    referral_accept(referral=referral, by=admin, conflict_waived=True)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.conflict_waived
    event = AuditEvent.objects.get(action="referrals.referral.accepted", object_id=str(referral.pk))
    assert "waived" in event.reason


def test_on_the_page_an_unconfirmed_conflict_is_said_beside_the_checkbox(
    submit: Any, provider: Any, client_for: Any
) -> None:
    org, admin, profile = provider
    _existing_case(org, admin, profile, name="Marta Lucía Ríos", a_number="A-098-765-432")
    referral = route(submit(a_number="A098765432").help_request)
    client = client_for(admin)
    url = f"/referrals/{referral.pk}/accept/"
    response = client.post(url, {"attorney": profile.pk})
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        '<a href="#id_conflict_waived">We checked the possible conflict and can take this case.: '
        in page
    )
    checkbox = page[page.index('<div class="field field-error">') :]
    assert checkbox.index('id="id_conflict_waived_error"') < checkbox.index("</div>")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING
    response = client.post(url, {"attorney": profile.pk, "conflict_waived": "on"})
    assert response.status_code == 302 and response["Location"].startswith("/cases/")
