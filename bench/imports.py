"""``amparo bench imports [--rows N] [--donors D] [--seed S]``: a big gift file through
``amparo donations import``, its speed and its memory, beside a raw-insert ceiling.

Writes a synthetic CSV of ``N`` gifts (100,000 by default; Faker names and emails from a pool
of ``D`` donors, a quarter of the gifts anonymous, a fifth designated to a restriction) and a
second file a tenth that size (other references and donors), in a throwaway database with
throwaway keys. Imports the tenth, then the whole file, each through the command as an
operator runs it (``--progress none``), reading the process's peak resident memory
(``ru_maxrss``, which only grows) before and after each: when the import's memory is bounded,
the peak after the whole file is about the peak after the tenth.

The baseline, in the same run and on the same rows: the ceiling of the database itself, the
file read once and every row written as its journal entry, two postings and its gift with
``executemany`` in one transaction (rolled back; references prefixed ``raw-``), with no checks, no donors, no running
balances and no audit. Prints, as one JSON object on the last line, ``rows``, ``seconds``,
``rows_per_s``, ``peak_rss_mb`` and the ``baseline`` figures, with ``compares`` in words.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import random
import resource
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.registry import register

HEADER = ("date", "amount", "currency", "donor_name", "donor_email", "reference", "designation")


def _rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1 << 20 if sys.platform == "darwin" else 1 << 10), 1)


def write_file(
    path: Path, *, rows: int, donors: int, seed: int, prefix: str, designation: str
) -> None:
    """``rows`` synthetic gifts in the ``amparo`` format, dated in the past year."""
    from django.utils import timezone
    from faker import Faker

    fake = Faker()
    fake.seed_instance(seed)
    rng = random.Random(seed)
    pool = [(fake.name(), f"{prefix}.{i}.{fake.user_name()}@example.org") for i in range(donors)]
    today = timezone.localdate()
    days = [(today - datetime.timedelta(days=n)).isoformat() for n in range(1, 366)]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for n in range(rows):
            name, email = ("", "") if rng.random() < 0.25 else rng.choice(pool)
            writer.writerow(
                (
                    rng.choice(days),
                    f"{rng.randint(5, 2_000)}.{rng.randint(0, 99):02d}",
                    "USD",
                    name,
                    email,
                    f"{prefix}-{n}",
                    designation if rng.random() < 0.2 else "",
                )
            )


def _import(path: Path) -> tuple[float, dict[str, Any]]:
    import json

    from django.core.management import call_command

    out = io.StringIO()
    started = time.perf_counter()
    call_command("donations", "import", str(path), "--progress", "none", stdout=out)
    seconds = time.perf_counter() - started
    summary: dict[str, Any] = json.loads(out.getvalue().strip().splitlines()[-1])
    return seconds, summary


def raw_ceiling(path: Path, *, designation_id: int) -> float:
    """Seconds to write every row of ``path`` as an entry, two postings and a gift with
    ``executemany`` in one transaction, rolled back afterwards."""
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from amparo.donations.models import Gift
    from amparo.ledger import chart
    from amparo.ledger.models import Account, JournalEntry, Posting

    ops = connection.ops
    accounts = dict(Account.objects.values_list("code", "pk"))
    cash, contributions = accounts[chart.CASH], accounts[chart.CONTRIBUTIONS]

    def table(model: Any, fields: tuple[str, ...]) -> str:
        quote = ops.quote_name
        columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"

    entry_sql = table(
        JournalEntry,
        ("id", "effective_date", "memo", "reason", "source", "source_ref", "posted_at"),
    )
    posting_sql = table(Posting, ("entry", "account", "restriction", "amount", "currency"))
    gift_sql = table(
        Gift,
        (
            "id",
            "amount",
            "currency",
            "received_on",
            "reference",
            "designation",
            "channel",
            "entry",
            "created_at",
        ),
    )
    now = ops.adapt_datetimefield_value(timezone.now())
    started = time.perf_counter()
    with transaction.atomic():
        next_id = (JournalEntry.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        with path.open(encoding="utf-8", newline="") as handle, connection.cursor() as cursor:
            reader = csv.DictReader(handle)
            while True:
                chunk = [row for _n, row in zip(range(5_000), reader, strict=False)]
                if not chunk:
                    break
                entries, postings, gifts = [], [], []
                for row in chunk:
                    reference = "raw-" + row["reference"]  # the import wrote the file's own
                    cents = int(Decimal(row["amount"]) * 100)
                    restriction = designation_id if row["designation"] else None
                    entries.append(
                        (
                            next_id,
                            row["date"],
                            f"Gift {reference}",
                            "",
                            "donation",
                            reference,
                            now,
                        )
                    )
                    postings.append((next_id, cash, restriction, cents, "USD"))
                    postings.append((next_id, contributions, restriction, -cents, "USD"))
                    gifts.append(
                        (
                            Gift._meta.pk.get_db_prep_value(uuid.uuid4(), connection),
                            cents,
                            "USD",
                            row["date"],
                            reference,
                            restriction,
                            "import",
                            next_id,
                            now,
                        )
                    )
                    next_id += 1
                cursor.executemany(entry_sql, entries)
                cursor.executemany(posting_sql, postings)
                cursor.executemany(gift_sql, gifts)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def run_imports_bench(*, rows: int, donors: int, seed: int) -> dict[str, Any]:
    from django.db import connection

    from amparo.core.services import SYSTEM
    from amparo.ledger.models import RestrictionKind
    from amparo.ledger.services import restriction_ensure

    slug = "bench-designated"
    tenth = max(1, rows // 10)
    with tempfile.TemporaryDirectory(prefix="amparo-bench-imports-") as tmp:
        folder = Path(tmp)
        small, big = folder / "tenth.csv", folder / "gifts.csv"
        restriction = restriction_ensure(
            slug=slug, name="Bench designation", kind=RestrictionKind.DONOR, by=SYSTEM
        )
        started = time.perf_counter()
        write_file(
            small,
            rows=tenth,
            donors=max(1, donors // 10),
            seed=seed + 1,
            prefix="T",
            designation=slug,
        )
        write_file(big, rows=rows, donors=donors, seed=seed, prefix="G", designation=slug)
        generate_seconds = time.perf_counter() - started
        rss_before = _rss_mb()
        tenth_seconds, _summary = _import(small)
        rss_tenth = _rss_mb()
        seconds, summary = _import(big)
        rss_full = _rss_mb()
        if summary["imported"] != rows:  # pragma: no cover - a broken import
            raise SystemExit(f"imported {summary['imported']} of {rows} rows")
        baseline_seconds = raw_ceiling(big, designation_id=restriction.pk)
    rate = rows / seconds
    raw_rate = rows / baseline_seconds
    return {
        "rows": rows,
        "donors": donors,
        "database_vendor": connection.vendor,
        "generate_seconds": round(generate_seconds, 2),
        "seconds": round(seconds, 2),
        "rows_per_s": round(rate),
        "tenth_rows": tenth,
        "tenth_seconds": round(tenth_seconds, 2),
        "rss_before_mb": rss_before,
        "peak_rss_mb_after_tenth": rss_tenth,
        "peak_rss_mb": rss_full,
        "baseline": {
            "what": "raw executemany: entry, two postings and gift per row; no checks, donors, "
            "balances or audit",
            "seconds": round(baseline_seconds, 2),
            "rows_per_s": round(raw_rate),
        },
        "ratio_vs_raw": round(rate / raw_rate, 3),
        "compares": "ratio_vs_raw: the import's rows per second ÷ the raw executemany ceiling's; "
        "peak_rss_mb (after N rows) beside peak_rss_mb_after_tenth (after N/10 rows)",
    }


@register("imports", "a big gift file through `donations import`: rows/s and peak memory vs raw")
def imports_bench(argv: list[str]) -> dict[str, Any]:
    from bench.throwaway import throwaway_environment

    parser = argparse.ArgumentParser(prog="amparo bench imports")
    parser.add_argument("--rows", type=int, default=100_000, help="gifts in the file")
    parser.add_argument("--donors", type=int, default=2_000, help="distinct donors among them")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.rows < 1 or args.donors < 1:
        parser.error("--rows and --donors must be positive")
    with throwaway_environment():
        return run_imports_bench(rows=args.rows, donors=args.donors, seed=args.seed)
