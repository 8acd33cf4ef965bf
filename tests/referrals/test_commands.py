"""The operator commands run the same services as the timers and the retention task."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from amparo.intake.models import HelpRequest
from amparo.referrals.models import Referral, ReferralStatus
from tests.clock import frozen
from tests.intake.helpers import route

pytestmark = [pytest.mark.django_db, frozen]


def _run(*args: str) -> Any:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_referrals_sweep_and_assign(submit: Any, make_provider: Any) -> None:
    make_provider(capacity=5)
    waiting = [submit().help_request for _ in range(2)]
    assert _run("referrals", "assign") == {
        "considered": 2,
        "referred": 2,
        "objective": sum(r.priority for r in waiting),
    }
    Referral.objects.update(due_at=timezone.now() - datetime.timedelta(minutes=5))
    assert _run("referrals", "sweep") == {"expired": 2, "routed": 0}
    assert not Referral.objects.filter(status=ReferralStatus.PENDING).exists()


def test_intake_purge(submit: Any) -> None:
    request = submit(household_size=1, income_low=90_000, income_high=90_000).help_request
    HelpRequest.objects.filter(pk=request.pk).update(
        state_changed_at=timezone.now() - datetime.timedelta(days=365)
    )
    assert _run("intake", "purge") == {"purged": 1}
    assert _run("intake", "purge") == {"purged": 0}


def test_a_routed_request_is_not_assigned_again(submit: Any, make_provider: Any) -> None:
    make_provider()
    route(submit().help_request)
    assert _run("referrals", "assign") == {"considered": 0, "referred": 0, "objective": 0}
