"""The deadlines benchmark (shape, not timing)."""

import pytest

from amparo.deadlines.rules import RULES
from bench.deadlines import (
    CachedNaiveCalendar,
    NaiveCalendar,
    bench_deadlines,
    case_deadlines,
    synthetic_cases,
)

from .conftest import last_json, run_bench


def test_synthetic_cases_are_reproducible_and_cover_every_rule() -> None:
    first, second = synthetic_cases(500, seed=7), synthetic_cases(500, seed=7)
    assert first == second
    assert synthetic_cases(500, seed=8) != first
    seen = {deadline.rule for case in first for deadline in case_deadlines(case)}
    assert seen == set(RULES)


def test_naive_baseline_computes_the_same_deadlines() -> None:
    for case in synthetic_cases(200, seed=11):
        assert case_deadlines(case) == case_deadlines(case, NaiveCalendar())


def test_bench_reports_its_numbers() -> None:
    result = bench_deadlines(["--cases", "300", "--naive-cases", "20", "--seed", "3"])
    assert result["cases"] == 300
    assert result["naive_cases"] == 20
    assert result["deadlines"] == sum(len(case_deadlines(c)) for c in synthetic_cases(300, 3))
    assert result["seconds"] >= 0 and result["per_case_us"] > 0
    assert result["naive_per_case_us"] > 0
    # Every synthetic case has at least one deadline, so the bench measured real work.
    assert result["deadlines"] >= result["cases"]
    # The ratios it prints are the ratios of the per-case times it prints (rounded to 0.01 us).
    assert result["ratio_vs_naive"] == pytest.approx(
        result["per_case_us"] / result["naive_per_case_us"], rel=0.02, abs=1e-3
    )
    # The fair baseline (one holiday table per year) ran on every case, beside the straw man.
    assert result["naive_cached_cases"] == 300 and result["naive_cached_per_case_us"] > 0
    assert result["ratio_vs_naive_cached"] == pytest.approx(
        result["per_case_us"] / result["naive_cached_per_case_us"], rel=0.02, abs=1e-3
    )
    assert set(result["compares"]) == {"ratio_vs_naive", "ratio_vs_naive_cached"}


def test_the_cached_naive_calendar_computes_the_same_deadlines() -> None:
    cached = CachedNaiveCalendar()
    for case in synthetic_cases(200, seed=12):
        assert case_deadlines(case) == case_deadlines(case, cached)


def test_amparo_bench_deadlines_prints_json_on_its_last_line() -> None:
    payload = last_json(run_bench("deadlines", "--cases", "200", "--naive-cases", "10"))
    assert {"cases", "seconds", "per_case_us", "ratio_vs_naive", "ratio_vs_naive_cached"} <= set(
        payload
    )
    assert payload["cases"] == 200
