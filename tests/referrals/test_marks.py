"""A help request's referral marks (``referred_at``, ``accepted_at``) follow its referrals:
whatever writes a referral through the ORM, and after a bulk insert once synced."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from amparo.intake.models import HelpRequest
from amparo.referrals.marks import request_marks_sync
from amparo.referrals.models import DeclineReason, Referral, ReferralStatus
from amparo.referrals.services import referral_accept, referral_decline
from tests.clock import frozen
from tests.intake.helpers import route

pytestmark = [pytest.mark.django_db, frozen]


def _marks(request: HelpRequest) -> tuple[Any, Any]:
    request.refresh_from_db()
    return request.referred_at, request.accepted_at


def test_a_request_is_marked_referred_then_accepted_by_the_referral_services(
    submit: Any, make_provider: Any
) -> None:
    providers = [make_provider(), make_provider()]
    request = submit().help_request
    assert _marks(request) == (None, None)
    first = route(request)
    assert _marks(request) == (first.sent_at, None)
    admin_of = {org.pk: admin for org, admin, _profile in providers}
    referral_decline(
        referral=first, by=admin_of[first.organization_id], reason=DeclineReason.NO_CAPACITY
    )
    # declined: still referred, not accepted; the decline sent it to the other provider
    assert _marks(request) == (first.sent_at, None)
    second = Referral.objects.get(help_request=request, status=ReferralStatus.PENDING)
    assert second.organization_id != first.organization_id
    referral_accept(referral=second, by=admin_of[second.organization_id])
    second.refresh_from_db()
    assert second.responded_at is not None
    assert _marks(request) == (first.sent_at, second.responded_at)


def test_deleting_the_referrals_takes_the_marks_away(submit: Any, make_provider: Any) -> None:
    make_provider()
    request = submit().help_request
    referral = route(request)
    assert _marks(request) == (referral.sent_at, None)
    referral.delete()
    assert _marks(request) == (None, None)


def test_sync_marks_referrals_inserted_in_bulk(submit: Any, make_provider: Any) -> None:
    org, _admin, _profile = make_provider()
    requests = [submit().help_request for _ in range(3)]
    sent = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    Referral.objects.bulk_create(  # no signal: as the seeds and the benchmarks insert them
        [
            Referral(
                help_request=requests[0],
                organization=org,
                status=ReferralStatus.ACCEPTED,
                method="batch",
                conflict="clear",
                sent_at=sent,
                due_at=sent + datetime.timedelta(days=1),
                responded_at=sent + datetime.timedelta(hours=5),
            ),
            Referral(
                help_request=requests[1],
                organization=org,
                status=ReferralStatus.EXPIRED,
                method="batch",
                conflict="clear",
                sent_at=sent + datetime.timedelta(hours=1),
                due_at=sent + datetime.timedelta(days=1),
            ),
            Referral(
                help_request=requests[1],
                organization=org,
                status=ReferralStatus.DECLINED,
                method="batch",
                conflict="clear",
                sent_at=sent,
                due_at=sent + datetime.timedelta(days=1),
                responded_at=sent + datetime.timedelta(hours=2),
            ),
        ]
    )
    assert [_marks(r) for r in requests] == [(None, None)] * 3
    written = request_marks_sync(HelpRequest.objects.filter(pk__in=[r.pk for r in requests]))
    assert written == 3
    assert _marks(requests[0]) == (sent, sent + datetime.timedelta(hours=5))
    assert _marks(requests[1]) == (sent, None)  # the earliest referral; none accepted
    assert _marks(requests[2]) == (None, None)
