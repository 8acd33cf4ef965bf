"""`amparo bench imports` end to end at a tiny size (its JSON and baseline, never its timings)."""

from __future__ import annotations

from django.db import connection

from .conftest import last_json, run_bench


def test_amparo_bench_imports_prints_its_figures_beside_the_raw_ceiling() -> None:
    result = last_json(run_bench("imports", "--rows", "300", "--donors", "20"))
    assert (result["rows"], result["tenth_rows"], result["database_vendor"]) == (
        300,
        30,
        connection.vendor,  # the bench runs on the suite's database
    )
    baseline = result["baseline"]
    assert baseline["rows_per_s"] > 0 and "executemany" in baseline["what"]
    assert result["ratio_vs_raw"] > 0
    assert result["peak_rss_mb"] >= result["peak_rss_mb_after_tenth"] >= result["rss_before_mb"]
    assert "ratio_vs_raw" in result["compares"]


def test_amparo_bench_imports_refuses_bad_arguments() -> None:
    done = run_bench("imports", "--rows", "0")
    assert done.returncode == 2 and "positive" in done.stderr
