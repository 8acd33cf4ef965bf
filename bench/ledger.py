"""`amparo bench ledger [--postings N] [--batch B] [--seed S]`.

Posts ``N`` postings (default 1,000,000) through the ledger's own posting service, in batches
of two-posting entries, then computes the trial balance. Prints, as one JSON object on the last
line: ``postings``, ``post_rate_per_s``, ``trial_balance_ms`` (median of five, from the running
balances), ``group_by_ms`` (the same balances re-added by an indexed GROUP BY over every
posting, as ``amparo ledger verify`` does), ``naive_ms`` (every posting summed in Python, the
baseline) and ``speedup_vs_naive``. Goal: ``trial_balance_ms`` under 1000 on SQLite and
PostgreSQL.

Runs in a throwaway database (``bench.throwaway.throwaway_environment``).
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import time
from typing import Any

from amparo.core.services import SYSTEM
from bench.registry import register

TRIAL_BALANCE_GOAL_MS = 1000


def _median_ms(func: Any, runs: int = 5) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = func()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2), result


def run_ledger_bench(*, postings: int, batch: int, seed: int) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from amparo.ledger import chart
    from amparo.ledger.models import Posting
    from amparo.ledger.selectors import trial_balance, trial_balance_from_postings
    from amparo.ledger.services import EntrySpec, PostingSpec, entries_post, restriction_ensure
    from amparo.ledger.verify import ledger_verify

    rng = random.Random(seed)
    restrictions = [
        restriction_ensure(slug=f"bench-{i}", name=f"Bench restriction {i}", by=SYSTEM)
        for i in range(4)
    ]
    pairs = [
        (chart.CASH, chart.CONTRIBUTIONS),
        (chart.PROCESSOR_CLEARING, chart.CONTRIBUTIONS),
        (chart.CASH, chart.PUBLIC_FUNDS),
        (chart.RECEIVABLE, chart.PUBLIC_FUNDS),
        (chart.FEES_EXPENSE, chart.CASH),
        (chart.ADMIN_EXPENSE, chart.CASH),
        (chart.CASH, chart.PROCESSOR_CLEARING),
    ]
    today = timezone.localdate()
    entries_total = postings // 2
    per_batch = max(1, batch // 2)
    posted = 0
    started = time.perf_counter()
    while posted < entries_total:
        n = min(per_batch, entries_total - posted)
        specs = []
        for _ in range(n):
            debit, credit = rng.choice(pairs)
            restriction = None
            if debit in (chart.CASH, chart.RECEIVABLE) and credit in (
                chart.CONTRIBUTIONS,
                chart.PUBLIC_FUNDS,
            ):
                restriction = rng.choice([None, None, *restrictions])
            amount = rng.randint(100, 500_000)
            specs.append(
                EntrySpec(
                    postings=[
                        PostingSpec(debit, amount, "USD", restriction),
                        PostingSpec(credit, -amount, "USD", restriction),
                    ],
                    memo="Benchmark entry",
                    effective_date=today - datetime.timedelta(days=rng.randint(0, 364)),
                )
            )
        entries_post(entries=specs, by=SYSTEM, source="bench", reason="amparo bench ledger")
        posted += n
    post_seconds = time.perf_counter() - started
    count = Posting.objects.count()
    trial_ms, trial = _median_ms(trial_balance)
    group_ms, grouped = _median_ms(trial_balance_from_postings, runs=3)

    def naive() -> dict[tuple[int, str], int]:
        sums: dict[tuple[int, str], int] = {}
        for account_id, currency, amount in Posting.objects.values_list(
            "account_id", "currency", "amount"
        ).iterator(chunk_size=20_000):
            sums[(account_id, currency)] = sums.get((account_id, currency), 0) + amount
        return sums

    naive_ms, naive_sums = _median_ms(naive, runs=1)
    same = (
        {(row.account.pk, row.currency): row.debit - row.credit for row in trial.rows}
        == {k: v for k, v in naive_sums.items() if v}
        == {k: v for k, v in grouped.items() if v}
    )
    verify = ledger_verify()
    return {
        "database": connection.vendor,
        "postings": count,
        "post_rate_per_s": round(count / post_seconds, 1),
        "trial_balance_ms": trial_ms,
        "trial_balance_goal_ms": TRIAL_BALANCE_GOAL_MS,
        "group_by_ms": group_ms,
        "naive_ms": naive_ms,
        "speedup_vs_naive": round(naive_ms / trial_ms, 1) if trial_ms else None,
        "balanced": trial.balanced and verify.balanced and same,
    }


@register("ledger", "trial balance of N postings: running balances vs GROUP BY vs a Python sum")
def ledger_bench(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="amparo bench ledger")
    parser.add_argument("--postings", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=20_000, help="postings per transaction")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.postings < 2 or args.batch < 2:
        parser.error("counts must be at least 2")
    from bench.throwaway import throwaway_environment

    started = time.perf_counter()
    with throwaway_environment():
        result = run_ledger_bench(postings=args.postings, batch=args.batch, seed=args.seed)
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result
