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
from amparo.deadlines.bench import bench_deadlines
from amparo.deadlines.models import CaseDeadline
from amparo.deadlines.selectors import deadlines_of_cases
from tests.clock import frozen

pytestmark = [pytest.mark.django_db, frozen]
CORE_AND_CASES = ("fund", "organizations", "staff", "attorneys", "cases")


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
    assert {"seconds", "per_case_us", "load_seconds"} <= set(result)


def test_seed_cases_needs_attorneys() -> None:
    from amparo.core.seed import SeedError

    with pytest.raises(SeedError):
        seed_run(seed=8, counts={"cases": 3})


def test_bench_falls_back_to_synthetic_cases_when_the_database_has_too_few(db: Any) -> None:
    result = bench_deadlines(["--cases", "30", "--naive-cases", "3"])
    assert result["source"] == "synthetic" and result["cases"] == 30
