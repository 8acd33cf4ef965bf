"""The demo's requests and referrals: every state appears, and nothing identifying is stored in
the clear."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from amparo.cases.models import Case
from amparo.core.demo import demo_seed, demo_steps
from amparo.intake.models import HelpRequest, IntakePolicy, RequestState
from amparo.intake.services import help_requests_due_for_purge
from amparo.referrals.models import ConflictStatus, Referral, ReferralStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_realistic_mix(settings: Any) -> None:
    # The core steps, the cases, ours and the referrals' (which answer our requests): other
    # apps' steps are theirs to test.
    wanted = {
        "fund", "organizations", "staff", "attorneys", "intake-policy", "cases", "requests", "referrals",
        "requests-closed",
    }  # fmt: skip
    ctx = demo_seed(steps=[step for step in demo_steps() if step.name in wanted])
    requests = HelpRequest.objects.all()
    assert requests.count() >= 48
    states = set(requests.values_list("state", flat=True))
    assert {
        RequestState.PLACED,
        RequestState.REFERRED,
        RequestState.ESCALATED,
        RequestState.NOT_ELIGIBLE,
        RequestState.CLOSED,
    } <= states
    assert len(set(requests.values_list("spoken_language", flat=True))) >= 6
    assert set(requests.values_list("source", flat=True)) >= {
        "public",
        "hotline",
        "detention_visit",
        "api",
    }
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert {
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
        ReferralStatus.EXPIRED,
        ReferralStatus.PENDING,
    } <= statuses
    assert Referral.objects.filter(conflict=ConflictStatus.HIT).exists()
    accepted = Referral.objects.filter(status=ReferralStatus.ACCEPTED)
    assert (
        Case.objects.filter(referral_id__in=accepted.values_list("pk", flat=True)).count()
        == accepted.count()
    )
    assert len(help_requests_due_for_purge()) >= 1
    assert IntakePolicy.objects.get(program=ctx.programs["detained-removal-defense"]).public_intake
    names = [r.name for r in requests[:10]]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {HelpRequest._meta.db_table}")
        raw = repr(cursor.fetchall())
    assert not any(name in raw for name in names)


def test_seed_requests_is_deterministic_encrypted_and_idempotent(policy: Any) -> None:
    from amparo.core.seed import seed_run
    from amparo.vault.blind import matching

    report = seed_run(seed=3, counts={"requests": 40})
    assert report.results["requests"].created == 40
    again = seed_run(seed=3, counts={"requests": 40})
    assert again.results["requests"].created == 0 and again.results["requests"].existing == 40
    requests = list(HelpRequest.objects.filter(idempotency_key__startswith="seed:3:"))
    assert len(requests) == 40 and all(r.program_id == policy.program_id for r in requests)
    assert {r.state for r in requests} >= {RequestState.WAITING, RequestState.NOT_ELIGIBLE}
    first = requests[0]
    assert (
        first.name
        and HelpRequest.objects.filter(matching(HelpRequest, "name_index", first.name)).exists()
    )
    assert max(r.priority for r in requests) >= 1000
