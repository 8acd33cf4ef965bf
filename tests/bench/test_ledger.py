"""`amparo bench ledger` runs end to end on a small count (no timing assertions): what it
reports must agree with the books it wrote, re-added here independently."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db.models import Count, Sum

from amparo.ledger.models import AccountBalance, JournalEntry, Posting
from amparo.ledger.selectors import trial_balance
from bench.ledger import run_ledger_bench

pytestmark = pytest.mark.django_db


def test_bench_posts_and_checks_the_trial_balance() -> None:
    result = run_ledger_bench(postings=2_000, batch=500, seed=3)
    assert result["postings"] == Posting.objects.count() == 2_000
    assert result["balanced"] is True
    assert {"post_rate_per_s", "trial_balance_ms", "naive_ms", "speedup_vs_naive"} <= set(result)

    # Every entry the bench wrote is a balanced pair of postings.
    entries = JournalEntry.objects.filter(source="bench")
    assert entries.count() == 1_000
    shapes = entries.annotate(n=Count("postings"), total=Sum("postings__amount"))
    assert Counter((e.n, e.total) for e in shapes) == {(2, 0): 1_000}

    # The running balances it timed equal the postings summed here, account by account.
    summed = {
        (row["account_id"], row["restriction_id"], row["currency"]): (row["total"], row["n"])
        for row in Posting.objects.values("account_id", "restriction_id", "currency").annotate(
            total=Sum("amount"), n=Count("id")
        )
    }
    running = {
        (b.account_id, b.restriction_id, b.currency): (b.amount, b.postings)
        for b in AccountBalance.objects.all()
    }
    assert {k: v for k, v in running.items() if v[1]} == summed

    trial = trial_balance()
    assert trial.balanced
    assert sum(row.debit for row in trial.rows) == sum(row.credit for row in trial.rows) > 0

    # The ratio it prints is the ratio of the two times it prints.
    assert result["trial_balance_ms"] > 0 and result["naive_ms"] > 0
    assert result["speedup_vs_naive"] == round(result["naive_ms"] / result["trial_balance_ms"], 1)
