"""The demo's cases, the seed generator at small scale, and the benchmark on seeded cases."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from amparo.cases.choices import CaseStatus
from amparo.cases.models import Case, Client, Document
from amparo.core.demo import demo_seed, demo_steps
from amparo.core.seed import seed_run
from amparo.deadlines.models import CaseDeadline
from amparo.deadlines.selectors import deadlines_of_cases
from bench.deadlines import bench_deadlines
from tests.clock import frozen

pytestmark = [pytest.mark.django_db, frozen]
CORE_AND_CASES = ("fund", "organizations", "staff", "attorneys", "intake-policy", "cases")


def test_the_demo_has_cases_in_every_status_with_deadlines_documents_and_outcomes() -> None:
    steps = [s for s in demo_steps() if s.name in CORE_AND_CASES]
    ctx = demo_seed(steps=steps)
    cases = Case.objects.all()
    assert {c.status for c in cases} == set(CaseStatus.values)
    assert len(ctx.extra["cases"]) == cases.count() == 2 * len(ctx.attorneys)
    # Spread over the demo attorneys: each leads two cases.
    leads = {c.lead_attorney_id for c in cases}
    assert leads == {p.user_id for p in ctx.attorneys}
    today = timezone.localdate()
    open_deadlines = deadlines_of_cases(cases)
    overdue = list(open_deadlines.filter(effective_date__lt=today))
    assert [d.rule_id for d in overdue] == ["prehearing-filing"]
    this_week = open_deadlines.filter(
        effective_date__gte=today, effective_date__lte=today + datetime.timedelta(days=7)
    )
    assert this_week.count() >= 5
    assert {"bia-appeal", "asylum-one-year", "bia-brief-appellant"} <= set(
        CaseDeadline.objects.values_list("rule_id", flat=True)
    )
    assert Document.objects.filter(case__in=cases).count() >= cases.count()
    assert all(c.outcome is not None for c in cases.filter(status__in=["decided", "closed"]))
    assert Client.objects.filter(remind_by_sms=True).exists()


def test_every_demo_case_is_born_through_the_help_line_but_a_providers_own_intake() -> None:
    from amparo.intake.models import HelpRequest, RequestState
    from amparo.referrals.demo import DIRECT_EVERY
    from amparo.referrals.models import Referral, ReferralStatus

    ctx = demo_seed(steps=[s for s in demo_steps() if s.name in CORE_AND_CASES])
    cases = list(Case.objects.all())
    direct = [c for c in cases if c.referral_id is None]
    assert len(direct) == len(cases) // DIRECT_EVERY >= 1
    born = [c for c in cases if c.referral_id is not None]
    referrals = Referral.objects.in_bulk([c.referral_id for c in born])
    for case in born:
        referral = referrals[case.referral_id]
        # accepted by the organization's administrator, with the case's lead leading it
        assert referral.status == ReferralStatus.ACCEPTED and referral.case_id == str(case.pk)
        assert referral.organization_id == case.organization_id
        assert referral.lead_attorney.user_id == case.lead_attorney_id
        assert referral.responded_by.role == "provider_admin"
        assert referral.sent_by.role == "intake_worker"
        request = referral.help_request
        assert request.state == RequestState.PLACED and request.screened_at is not None
        assert request.subject_id == case.subject_id
        assert request.created_at < referral.sent_at <= referral.responded_at
    assert HelpRequest.objects.count() == len(born)
    assert len(ctx.extra["cases"]) == len(cases)


def test_seed_cases_is_deterministic_idempotent_and_benchmarkable() -> None:
    counts = {"organizations": 2, "attorneys": 4, "cases": 40}
    report = seed_run(seed=7, counts=counts)
    assert report.results["cases"].created == 40
    again = seed_run(seed=7, counts=counts)
    assert again.results["cases"].created == 0 and again.results["cases"].existing == 40
    assert Case.objects.filter(reference__startswith="S7-").count() == 40
    case = Case.objects.filter(reference="S7-0000003").get()
    assert case.client.name and case.client.a_number.startswith("A")
    assert CaseDeadline.objects.filter(case__reference__startswith="S7-").exists()
    result = bench_deadlines(["--cases", "40", "--naive-cases", "5", "--source", "database"])
    assert result["source"] == "database" and result["cases"] == 40
    assert result["deadlines"] == CaseDeadline.objects.filter(is_active=True).count()
    assert {"seconds", "per_case_us", "load_seconds", "ratio_vs_naive_cached"} <= set(result)
    assert result["naive_cached_cases"] == 40 and result["naive_cases"] == 5


def test_seed_cases_needs_attorneys() -> None:
    from amparo.core.seed import SeedError

    with pytest.raises(SeedError):
        seed_run(seed=8, counts={"cases": 3})


def test_bench_falls_back_to_synthetic_cases_when_the_database_has_too_few(db: Any) -> None:
    result = bench_deadlines(["--cases", "30", "--naive-cases", "3"])
    assert result["source"] == "synthetic" and result["cases"] == 30
