"""`amparo bench reports` end to end on a small count (its JSON, never its timings)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from amparo.cases.models import Case, Outcome
from amparo.intake.models import HelpRequest
from amparo.reports import metrics
from amparo.reports.bench import naive_figures, run_reports_bench, seed

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
    # the bench opens its cases directly: none was born from a request
    assert m.funnel["represented"] == naive["represented"] == 0
    assert m.outside == naive["outside"] == 301
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
        "ratio_vs_naive",
        "snapshot_read_median_ms",
        "refresh_ms",
        "naive_ms",
    } <= set(result)
    assert result["cases"] == 501
    assert result["ratio_vs_naive"] > 0


def test_amparo_bench_reports_prints_one_json_object_last() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run(
        [str(Path(sys.executable).with_name("amparo")), "bench", "reports", "--cases", "200"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["cases"] == 201
    assert {"median_ms", "ratio_vs_naive", "snapshot_read_median_ms", "refresh_ms"} <= set(result)


def test_amparo_bench_reports_refuses_bad_arguments() -> None:
    done = subprocess.run(
        [str(Path(sys.executable).with_name("amparo")), "bench", "reports", "--cases", "0"],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        timeout=120,
    )
    assert done.returncode == 2
    assert "positive" in done.stderr
