"""Routing: only providers that can take the request, best first; escalation when none can."""

from __future__ import annotations

from typing import Any

import pytest

from amparo.core.services import SYSTEM
from amparo.intake.models import EscalationReason, RequestState
from amparo.organizations.models import PracticeArea
from amparo.referrals.models import Referral, ReferralMethod, ReferralStatus
from amparo.referrals.routing import candidates
from amparo.referrals.services import referral_route
from tests.intake.helpers import route

pytestmark = pytest.mark.django_db


def _route(submission: Any) -> Referral | None:
    referral = referral_route(help_request=submission.help_request, by=SYSTEM)
    submission.help_request.refresh_from_db()
    return referral


def test_routes_to_a_provider_that_fits_and_starts_the_sla_timer(
    submit: Any, make_provider: Any, policy: Any
) -> None:
    org, _admin, profile = make_provider()
    submission = submit()
    referral = route(submission.help_request)
    submission.help_request.refresh_from_db()
    assert referral.organization == org and referral.attorney == profile
    assert referral.status == ReferralStatus.PENDING and referral.method == ReferralMethod.SINGLE
    assert (referral.due_at - referral.sent_at).total_seconds() == 24 * 3600  # detained
    assert submission.help_request.state == RequestState.REFERRED
    # A second call does not send it twice.
    assert _route(submission) == referral


def test_non_detained_requests_get_the_longer_sla(submit: Any, make_provider: Any) -> None:
    make_provider()
    referral = route(submit(custody="never_detained", facility="").help_request)
    assert (referral.due_at - referral.sent_at).total_seconds() == 72 * 3600


@pytest.mark.parametrize(
    "provider, reason",
    [
        ({"accepting": False}, "organization not accepting"),
        ({"languages": ("en", "fr")}, "no Spanish and no interpreter"),
        ({"practice_areas": (PracticeArea.ASYLUM,)}, "other practice area"),
        ({"counties": ("Boulder",)}, "other area"),
        ({"capacity": 0}, "no capacity"),
    ],
)
def test_providers_that_cannot_take_it_are_left_out(
    submit: Any, make_provider: Any, policy: Any, provider: Any, reason: Any
) -> None:
    make_provider(**provider)
    submission = submit()
    assert candidates(submission.help_request, policy) == [], reason
    assert _route(submission) is None
    assert submission.help_request.state == RequestState.ESCALATED
    assert submission.help_request.escalation_reason == EscalationReason.NO_PROVIDER


def test_an_interpreter_language_is_served_by_any_attorney_but_speakers_come_first(
    submit: Any, make_provider: Any, policy: Any
) -> None:
    _org1, _a1, english_only = make_provider(languages=("en",))
    submission = submit(spoken_language="quc")
    found = candidates(submission.help_request, policy)
    assert [c.attorney for c in found] == [english_only] and found[0].interpreter
    _org2, _a2, speaker = make_provider(languages=("en", "quc"))
    found = candidates(submission.help_request, policy)
    assert found[0].attorney == speaker and not found[0].interpreter


def test_capacity_counts_open_cases_and_pending_referrals(
    submit: Any, make_provider: Any, policy: Any
) -> None:
    _org, _admin, profile = make_provider(capacity=1)
    first = submit()
    assert route(first.help_request).attorney == profile
    second = submit()
    assert candidates(second.help_request, policy) == []  # the pending referral holds the room


def test_an_organization_with_no_counties_serves_every_area(
    submit: Any, make_provider: Any, policy: Any
) -> None:
    org, _admin, _profile = make_provider(counties=())
    submission = submit(county="Weld", zip_code="80631", custody="never_detained", facility="")
    assert [c.organization for c in candidates(submission.help_request, policy)] == [org]


def test_load_is_spread_to_the_attorney_with_more_room(
    submit: Any, make_provider: Any, policy: Any
) -> None:
    make_provider(capacity=2, name="Small")
    big, _admin, _profile = make_provider(capacity=20, name="Big")
    assert route(submit().help_request).organization == big


def test_a_facility_without_a_county_may_be_served_from_anywhere(
    submit: Any, make_provider: Any, policy: Any
) -> None:
    policy.facilities = [{"name": "Regional Facility", "county": "", "local": True}]
    policy.save()
    org, _admin, _profile = make_provider(counties=("Pueblo",))
    request = submit(facility="Regional Facility", county="Denver").help_request
    assert request.area == ""
    assert [c.organization for c in candidates(request, policy)] == [org]
    # Not detained: the county they live in decides.
    other = submit(custody="never_detained", facility="", county="Denver").help_request
    assert other.area == "denver" and candidates(other, policy) == []
