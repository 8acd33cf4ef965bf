"""`amparo bench reports` end to end on a small count (its JSON, never its timings)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache

from amparo.cases.models import Case, Outcome
from amparo.intake.models import HelpRequest
from amparo.referrals.models import Referral
from amparo.reports import metrics
from bench.reports import naive_figures, run_reports_bench, seed

from .conftest import last_json, run_bench

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vault_keys(tmp_path: Any, settings: Any) -> None:
    settings.AMPARO = {
        **settings.AMPARO,
        "KEK_FILE": str(tmp_path / "keys" / "kek.key"),
        "BLIND_INDEX_KEY_FILE": None,
    }
    cache.clear()


def test_seed_inserts_rows_the_fast_and_naive_figures_agree_on() -> None:
    counts = seed(300, seed_value=4)
    assert Case.objects.count() == counts["cases"] == 301
    assert HelpRequest.objects.count() == counts["requests"] == 301
    assert Outcome.objects.count() == counts["outcomes"] > 0
    # every cloned case still decrypts (the shared client's protected values are intact)
    sample = Case.objects.select_related("client").order_by("reference").first()
    assert sample is not None and sample.client.name == "Bench Person"
    m = metrics.compute()
    naive = naive_figures()
    assert m.funnel["requests"] == naive["requests"] == 301
    # seven requests in ten referred, five accepted (and the template's, accepted); each
    # accepted referral but the template's is a case's, the other cases came directly
    assert Referral.objects.count() == counts["referrals"] == 211
    assert m.funnel["referred"] == naive["referred"] == 211
    assert m.funnel["accepted"] == naive["accepted"] == 151
    assert m.funnel["represented"] == naive["represented"] == 150
    assert m.outside == naive["outside"] == 151
    # the requests' own acceptance marks give the same waits as their accepted referrals
    waits = sorted(
        (r.responded_at - r.help_request.created_at).days
        for r in Referral.objects.filter(status="accepted").select_related("help_request")
    )
    assert sum(row["n"] for row in m.days_to_acceptance.values()) == len(waits) == 151
    assert max(waits) == 4  # answered after 0 to 96 hours
    assert m.outcomes == naive["outcomes"]
    # 150 cases have a decision; the 19 administratively closed stay open (not completions)
    assert m.completed == naive["completed"] == 131
    assert m.relief == naive["relief"]
    assert m.protection == sum(row[1] for row in naive["outcomes"]) > 0
    assert m.custody_decisions == naive["custody_decisions"] == 50


def test_run_reports_bench_prints_the_documented_keys() -> None:
    result = run_reports_bench(cases=500, renders=2, seed_value=2)
    json.dumps(result)
    assert {
        "cases",
        "median_ms",
        "snapshot_read_median_ms",
        "refresh_ms",
        "naive_ms",
        "refresh_ratio_vs_naive",
        "render_ratio_vs_snapshot_read",
        "compares",
    } <= set(result)
    assert result["cases"] == 501
    # Like with like: the refresh over the naive count, the cached render over a snapshot read.
    assert result["refresh_ratio_vs_naive"] == pytest.approx(
        result["refresh_ms"] / result["naive_ms"], rel=0.01
    )
    assert result["render_ratio_vs_snapshot_read"] == pytest.approx(
        result["median_ms"] / result["snapshot_read_median_ms"], rel=0.01
    )
    assert "ratio_vs_naive" not in result
    assert set(result["compares"]) == {"refresh_ratio_vs_naive", "render_ratio_vs_snapshot_read"}


def test_amparo_bench_reports_prints_one_json_object_last() -> None:
    result = last_json(run_bench("reports", "--cases", "200"))
    assert result["cases"] == 201
    assert {"refresh_ratio_vs_naive", "render_ratio_vs_snapshot_read", "naive_ms"} <= set(result)


def test_amparo_bench_reports_refuses_bad_arguments() -> None:
    done = run_bench("reports", "--cases", "0")
    assert done.returncode == 2
    assert "positive" in done.stderr
