"""Two people accept the same referral at the same moment: exactly one case opens.

Runs on whichever database the suite uses; on PostgreSQL (DATABASE_URL) the two threads hold
two real connections and race on the row lock and the partial unique index.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from amparo.accounts.roles import Role
from amparo.cases.models import Case
from amparo.intake.models import RequestState
from amparo.referrals.models import Referral, ReferralStatus
from amparo.referrals.services import ReferralError, referral_accept
from tests.intake.helpers import MembershipFactory, UserFactory, route

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_accepts_open_exactly_one_case(submit: Any, make_provider: Any) -> None:
    org, first_admin, _profile = make_provider()
    second_admin = UserFactory(role=Role.PROVIDER_ADMIN)
    MembershipFactory(user=second_admin, organization=org)
    request = submit().help_request
    referral = route(request)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def accept(admin: Any) -> None:
        try:
            barrier.wait(timeout=10)
            referral_accept(referral=Referral(pk=referral.pk), by=admin)
            result = "case"
        except ReferralError as error:
            result = error.code
        except Exception as error:
            result = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [
        threading.Thread(target=accept, args=(admin,)) for admin in (first_admin, second_admin)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["accepted", "case"], outcomes
    assert Case.objects.filter(referral_id=referral.pk).count() == 1
    assert (
        Referral.objects.filter(help_request=request, status=ReferralStatus.ACCEPTED).count() == 1
    )
    request.refresh_from_db()
    assert request.state == RequestState.PLACED
