"""The provider's answer: accept opens one case; decline and silence move the request on."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.cases.models import Case
from amparo.cases.selectors import my_cases
from amparo.core.services import SYSTEM
from amparo.intake.models import EscalationReason, RequestState
from amparo.referrals.models import DeclineReason, Referral, ReferralStatus
from amparo.referrals.services import (
    ReferralError,
    referral_accept,
    referral_decline,
    referral_expire,
    referrals_expire_overdue,
)
from amparo.referrals.tasks import referral_sla_check, referrals_sweep
from tests.clock import frozen
from tests.intake.helpers import UserFactory, route

pytestmark = [pytest.mark.django_db, frozen]


def test_accept_opens_the_case_for_the_attorney_and_places_the_request(
    submit: Any, make_provider: Any
) -> None:
    org, admin, profile = make_provider()
    submission = submit()
    referral = route(submission.help_request)
    case = referral_accept(referral=referral, by=admin)
    referral.refresh_from_db()
    request = submission.help_request
    request.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.case_id == str(case.pk)
    assert request.state == RequestState.PLACED and request.placed_at is not None
    assert case.organization == org and case.lead_attorney == profile.user
    assert case.referral_id == referral.pk and case.subject_id == request.subject_id
    assert case.client.name == request.name and case.client.a_number == request.a_number
    assert case.custody == "detained"
    assert list(my_cases(fetched_by=profile.user)) == [case]
    assert AuditEvent.objects.filter(
        action="referrals.referral.accepted", object_id=str(referral.pk)
    ).exists()


def test_only_the_organizations_provider_admin_may_answer(submit: Any, make_provider: Any) -> None:
    _org, _admin, profile = make_provider()
    # Another county: routing cannot pick it (names "Provider 10" and "Provider 9" would decide).
    _other_org, other_admin, _p = make_provider(counties=("Boulder",))
    referral = route(submit().help_request)
    for outsider in (other_admin, profile.user, UserFactory(role=Role.INTAKE_WORKER)):
        with pytest.raises(PermissionDenied):
            referral_accept(referral=referral, by=outsider)
        with pytest.raises(PermissionDenied):
            referral_decline(referral=referral, by=outsider, reason=DeclineReason.NO_CAPACITY)
    assert not Case.objects.exists()


def test_accepting_twice_opens_one_case(submit: Any, make_provider: Any) -> None:
    _org, admin, _profile = make_provider()
    referral = route(submit().help_request)
    referral_accept(referral=referral, by=admin)
    with pytest.raises(ReferralError) as error:
        referral_accept(referral=referral, by=admin)
    assert error.value.code == "accepted"
    assert Case.objects.count() == 1


def test_the_database_refuses_a_second_accepted_referral_for_a_request(
    submit: Any, make_provider: Any
) -> None:
    _org, admin, _profile = make_provider()
    request = submit().help_request
    first = route(request)
    referral_accept(referral=first, by=admin)
    other, _a, _p = make_provider()
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(
            help_request=request,
            organization=other,
            method="manual",
            conflict="clear",
            status=ReferralStatus.ACCEPTED,
            due_at=timezone.now(),
        )


def test_decline_sends_the_request_to_the_next_provider(submit: Any, make_provider: Any) -> None:
    first_org, first_admin, _p = make_provider(name="First", capacity=30)
    second_org, _a, _p2 = make_provider(name="Second", capacity=10)
    request = submit().help_request
    referral = route(request)
    assert referral.organization == first_org
    referral_decline(referral=referral, by=first_admin, reason=DeclineReason.NO_CAPACITY)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED and referral.decline_reason == "no_capacity"
    pending = Referral.objects.get(help_request=request, status=ReferralStatus.PENDING)
    assert pending.organization == second_org and pending.attempt == 2
    with pytest.raises(ReferralError):
        referral_decline(referral=referral, by=first_admin, reason=DeclineReason.OTHER)


def test_decline_needs_a_known_reason(submit: Any, make_provider: Any) -> None:
    _org, admin, _p = make_provider()
    referral = route(submit().help_request)
    with pytest.raises(ReferralError):
        referral_decline(referral=referral, by=admin, reason="because")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING


def test_an_unanswered_referral_is_rerouted_after_its_sla(submit: Any, make_provider: Any) -> None:
    first_org, _a1, _p1 = make_provider(name="Slow", capacity=30)
    second_org, _a2, _p2 = make_provider(name="Next", capacity=10)
    request = submit().help_request
    referral = route(request)
    assert referral.organization == first_org
    # Not due yet: the task changes nothing.
    assert referral_sla_check.call(referral.pk) == {"expired": False}
    # Advance time by moving the referral back 25 hours (the SLA for detained people is 24 h).
    past = timezone.now() - datetime.timedelta(hours=25)
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=past, due_at=past + datetime.timedelta(hours=24)
    )
    assert referral_sla_check.call(referral.pk) == {"expired": True}
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.EXPIRED
    assert (
        Referral.objects.get(help_request=request, status=ReferralStatus.PENDING).organization
        == second_org
    )
    assert AuditEvent.objects.filter(
        action="referrals.referral.expired", object_id=str(referral.pk)
    ).exists()


def test_the_sweep_expires_every_overdue_referral_and_escalates_when_nobody_is_left(
    submit: Any, make_provider: Any
) -> None:
    make_provider()
    requests = [submit().help_request for _ in range(2)]
    referrals = [route(r) for r in requests]
    past = timezone.now() - datetime.timedelta(days=4)
    Referral.objects.filter(pk__in=[r.pk for r in referrals]).update(sent_at=past, due_at=past)
    assert referrals_sweep.call() == {"expired": 2, "routed": 0}
    for request in requests:
        request.refresh_from_db()
        assert request.state == RequestState.ESCALATED
        assert request.escalation_reason == EscalationReason.ATTEMPTS_EXHAUSTED
    assert referrals_expire_overdue(by=SYSTEM) == 0


def test_after_the_program_maximum_attempts_the_request_is_escalated(
    submit: Any, make_provider: Any, policy: Any
) -> None:
    policy.max_referral_attempts = 2
    policy.save()
    admins = [make_provider(name=f"P{i}")[1] for i in range(3)]
    request = submit().help_request
    for _ in range(2):
        pending = Referral.objects.filter(
            help_request=request, status=ReferralStatus.PENDING
        ).first() or route(request)
        admin = next(
            a for a in admins if a.memberships.filter(organization=pending.organization).exists()
        )
        referral_decline(referral=pending, by=admin, reason=DeclineReason.NO_CAPACITY)
    request.refresh_from_db()
    assert request.state == RequestState.ESCALATED
    assert Referral.objects.filter(help_request=request).count() == 2


def test_an_expired_referral_cannot_be_accepted(submit: Any, make_provider: Any) -> None:
    _org, admin, _p = make_provider()
    referral = route(submit().help_request)
    Referral.objects.filter(pk=referral.pk).update(
        due_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert referral_expire(referral=referral.pk, by=SYSTEM) is not None
    with pytest.raises(ReferralError) as error:
        referral_accept(referral=referral, by=admin)
    assert error.value.code == "closed"
