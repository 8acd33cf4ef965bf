"""The accept form proposes who leads the case: language first, then room; those not
accepting new cases come apart."""

from __future__ import annotations

import re
from typing import Any

import pytest

from amparo.accounts.roles import Role
from amparo.core.services import SYSTEM
from amparo.referrals.selectors import referral_attorney_choices
from amparo.referrals.services import referral_route
from tests.intake.helpers import AttorneyProfileFactory, MembershipFactory, UserFactory, route

pytestmark = pytest.mark.django_db


def add_attorney(
    org: Any,
    *,
    languages: tuple[str, ...],
    capacity: int,
    accepting: bool = True,
    last_name: str = "Ortega",
    first_name: str = "Ana",
) -> Any:
    user = UserFactory(role=Role.ATTORNEY, last_name=last_name, first_name=first_name)
    MembershipFactory(user=user, organization=org)
    return AttorneyProfileFactory(
        user=user,
        organization=org,
        languages=list(languages),
        capacity=capacity,
        accepting_new_cases=accepting,
    )


@pytest.fixture
def referral(submit: Any, make_provider: Any) -> Any:
    """A referral for a Spanish speaker, to an organization whose routed attorney is full."""
    _org, _admin, routed = make_provider(capacity=1)
    referral = route(submit(spoken_language="es").help_request)
    assert referral.attorney == routed
    routed.capacity = 0  # no room left: never the proposal below
    routed.save()
    return referral


def proposed(referral: Any) -> Any:
    return referral_attorney_choices(referral=referral).proposed


def test_a_speaker_of_the_language_comes_before_more_room(referral: Any) -> None:
    org = referral.organization
    speaker = add_attorney(org, languages=("es",), capacity=3)
    add_attorney(org, languages=("en",), capacity=9)
    assert proposed(referral) == speaker


def test_among_speakers_the_most_room_wins(referral: Any) -> None:
    org = referral.organization
    add_attorney(org, languages=("es",), capacity=3)
    roomy = add_attorney(org, languages=("en", "es"), capacity=7)
    assert proposed(referral) == roomy
    choices = referral_attorney_choices(referral=referral)
    assert [c.room for c in choices.accepting][:2] == [7, 3]
    assert all(c.speaks for c in choices.accepting[:2])


def test_ties_go_by_name_then_by_record_the_same_every_time(referral: Any) -> None:
    org = referral.organization
    add_attorney(org, languages=("es",), capacity=5, last_name="Zamora")
    first = add_attorney(org, languages=("es",), capacity=5, last_name="Alvarez", first_name="Eva")
    twin = add_attorney(org, languages=("es",), capacity=5, last_name="Alvarez", first_name="Eva")
    assert first.pk < twin.pk
    for _ in range(3):
        assert proposed(referral) == first


def test_without_a_speaker_with_room_the_most_room_is_proposed(referral: Any) -> None:
    org = referral.organization
    add_attorney(org, languages=("es",), capacity=0)  # speaks it, but full
    add_attorney(org, languages=("en",), capacity=2)
    roomy = add_attorney(org, languages=("fr",), capacity=6)
    assert proposed(referral) == roomy


def test_attorneys_not_accepting_cases_are_apart_and_never_proposed(referral: Any) -> None:
    org = referral.organization
    resting = add_attorney(org, languages=("es",), capacity=40, accepting=False)
    working = add_attorney(org, languages=("es",), capacity=2)
    choices = referral_attorney_choices(referral=referral)
    assert choices.proposed == working
    assert [c.profile for c in choices.not_accepting] == [resting]
    assert resting not in [c.profile for c in choices.accepting]


def test_room_counts_open_cases_and_other_waiting_referrals_but_not_this_one(
    submit: Any, make_provider: Any
) -> None:
    org, admin, profile = make_provider(capacity=10)
    first = route(submit(spoken_language="es").help_request)
    assert first.attorney == profile
    # The referral being answered does not take its own room.
    assert referral_attorney_choices(referral=first).accepting[0].room == 10
    second = referral_route(help_request=submit(spoken_language="es").help_request, by=SYSTEM)
    assert second is not None and second.attorney == profile
    assert referral_attorney_choices(referral=first).accepting[0].room == 9
    # An accepted referral is an open case: still one less room for the next one.
    from amparo.referrals.services import referral_accept

    referral_accept(referral=second, by=admin, lead_attorney=profile)
    assert referral_attorney_choices(referral=first).accepting[0].room == 9
    assert org == first.organization


def _option(page: str, pk: int) -> str:
    found = re.search(rf'<option value="{pk}"[^>]*>[^<]*</option>', page)
    assert found, f"no option for attorney {pk}"
    return found.group(0)


def test_the_form_preselects_the_proposal_shows_room_and_groups_the_others(
    referral: Any, client_for: Any
) -> None:
    org = referral.organization
    admin = org.memberships.get(user__role=Role.PROVIDER_ADMIN).user
    resting = add_attorney(org, languages=("es",), capacity=40, accepting=False)
    working = add_attorney(org, languages=("es",), capacity=4)
    page = client_for(admin).get(f"/referrals/{referral.pk}/").content.decode()
    option = _option(page, working.pk)
    assert "selected" in option and "4 cases of room" in option and "speaks Spanish" in option
    group = page[page.index('<optgroup label="Not accepting cases">') :]
    group = group[: group.index("</optgroup>")]
    assert f'value="{resting.pk}"' in group and "selected" not in group
    assert "not accepting new cases are listed apart" in page


def test_the_form_in_spanish(referral: Any, client_for: Any) -> None:
    org = referral.organization
    admin = org.memberships.get(user__role=Role.PROVIDER_ADMIN).user
    add_attorney(org, languages=("es",), capacity=40, accepting=False)
    working = add_attorney(org, languages=("es",), capacity=1)
    client = client_for(admin)
    page = client.get(f"/referrals/{referral.pk}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    option = _option(page, working.pk)
    assert "selected" in option and "espacio para 1 caso" in option and "habla Español" in option
    assert '<optgroup label="No aceptan casos">' in page
    response = client.post(f"/referrals/{referral.pk}/decline/", {}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    assert "¿Por qué no pueden tomarla?: Elija una razón." in response.content.decode()
