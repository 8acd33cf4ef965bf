"""`amparo bench ledger` runs end to end on a small count (no timing assertions)."""

from __future__ import annotations

import pytest

from amparo.ledger.bench import run_ledger_bench

pytestmark = pytest.mark.django_db


def test_bench_posts_and_checks_the_trial_balance() -> None:
    result = run_ledger_bench(postings=2_000, batch=500, seed=3)
    assert result["postings"] == 2_000
    assert result["balanced"] is True
    assert {"post_rate_per_s", "trial_balance_ms", "naive_ms", "speedup_vs_naive"} <= set(result)
