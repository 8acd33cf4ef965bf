"""`amparo bench search` on a small count: its keys and the relations between them, never timings."""

from __future__ import annotations

import pytest

from amparo.cases.models import Case
from amparo.intake.models import HelpRequest
from amparo.search.models import SearchKey
from amparo.search.services import search_run
from bench.search import run_search_bench

pytestmark = pytest.mark.django_db


def test_the_bench_seeds_searchable_records_and_reports_its_figures() -> None:
    result = run_search_bench(records=60, queries=40, real=5, seed_value=3)
    assert {"records", "p50_ms", "p99_ms", "baseline_p50_ms", "baseline_p99_ms"} <= set(result)
    assert result["records"] == 60 and result["queries"] == 40
    assert 0 < result["p50_ms"] <= result["p99_ms"]
    assert 0 < result["baseline_p50_ms"] <= result["baseline_p99_ms"]
    kinds = {"a_number", "phone", "email", "reference", "surname", "full_name"}
    assert set(result["p99_ms_by_kind"]) == kinds
    assert all(ms > 0 for ms in result["p99_ms_by_kind"].values())
    assert HelpRequest.objects.count() == Case.objects.count() == 60
    # every filler record has its name words and its email among the search keys
    assert SearchKey.objects.filter(email_index__isnull=False).count() == 120
    # a filler client's name decrypts for its own row, so its label is real
    filler = Case.objects.filter(reference__startswith="C-2026-B").select_related("client")[0]
    admin = filler.organization.memberships.first()
    assert admin is not None
    surname = filler.client.name.split()[1]
    results = search_run(by=admin.user, query=surname)
    assert filler.reference in {r.reference for r in results}
