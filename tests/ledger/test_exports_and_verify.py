"""Exports (CSV, beancount) and `amparo ledger verify`."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from amparo.ledger import chart
from amparo.ledger.exports import beancount_lines, journal_csv_rows
from amparo.ledger.selectors import trial_balance
from amparo.ledger.services import PostingSpec, entry_post, restricted_spend
from tests.clock import frozen

pytestmark = [pytest.mark.django_db, frozen]


@pytest.fixture
def books(treasurer: Any, day: Any, detained: Any) -> Any:
    entry_post(
        postings=[
            PostingSpec(chart.CASH, 250_000, "USD", detained),
            PostingSpec(chart.PUBLIC_FUNDS, -250_000, "USD", detained),
        ],
        memo="City appropriation, first payment",
        effective_date=day,
        by=treasurer,
        source="appropriation",
        source_ref="CITY-1",
    )
    entry_post(
        postings=[
            PostingSpec(chart.CASH, 4_999, "USD"),
            PostingSpec(chart.CONTRIBUTIONS, -4_999, "USD"),
        ],
        memo='=HYPERLINK("http://evil.example") "quoted"',
        effective_date=day,
        by=treasurer,
    )
    restricted_spend(
        restriction=detained,
        category="detained_removal",
        amount=100_000,
        currency="USD",
        memo="Grant tranche",
        effective_date=day,
        by=treasurer,
    )


def test_csv_export_neutralizes_formulas_and_balances(books: Any) -> None:
    text = "".join(journal_csv_rows())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 6
    memos = {r["memo"] for r in rows}
    assert '\'=HYPERLINK("http://evil.example") "quoted"' in memos
    assert all(not r["memo"].startswith(("=", "+", "-", "@")) for r in rows)
    debit = sum(Decimal(r["debit"] or 0) for r in rows)
    credit = sum(Decimal(r["credit"] or 0) for r in rows)
    assert debit == credit == Decimal("3549.99")


_TXN = re.compile(r"^\d{4}-\d{2}-\d{2} \* ")
_POSTING = re.compile(r"^  ([A-Z][A-Za-z]*(?::[A-Z0-9][A-Za-z0-9-]*)+)\s+(-?\d+\.\d+) ([A-Z]{3})$")


def test_beancount_export_is_an_independent_check_of_the_trial_balance(books: Any) -> None:
    """A minimal reader of beancount text: every transaction balances, and per-account sums
    equal the trial balance."""
    lines = "".join(beancount_lines()).splitlines()
    opened = {line.split()[2] for line in lines if " open " in line}
    sums: dict[str, Decimal] = defaultdict(Decimal)
    txn_total: Decimal | None = None
    transactions = 0
    for line in [*lines, ""]:
        if _TXN.match(line):
            transactions += 1
            txn_total = Decimal(0)
            continue
        match = _POSTING.match(line)
        if match:
            account, amount = match.group(1), Decimal(match.group(2))
            assert account in opened, account
            sums[account] += amount
            assert txn_total is not None
            txn_total += amount
        elif not line.strip() and txn_total is not None:
            assert txn_total == 0
            txn_total = None
    assert transactions == 3
    by_code: dict[str, Decimal] = defaultdict(Decimal)
    for account, amount in sums.items():
        by_code[account.split(":")[1][1:]] += amount
    trial = trial_balance()
    assert {row.account.code: Decimal(row.debit - row.credit) / 100 for row in trial.rows} == {
        code: amount for code, amount in by_code.items() if amount
    }
    assert "Income:A4100:R-detained-removal-defense" in opened


def test_verify_prints_json_and_passes_on_good_books(books: Any, capsys: Any) -> None:
    call_command("ledger", "verify")
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert json.loads(last) == {"balanced": True, "entries": 3, "postings": 6}


def test_verify_fails_when_a_balance_or_an_entry_was_tampered_with(books: Any, capsys: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ledger_accountbalance SET amount = amount + 1 WHERE id = (SELECT MIN(id) FROM ledger_accountbalance)"
        )
    with pytest.raises(CommandError) as info:
        call_command("ledger", "verify")
    assert info.value.returncode == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out.strip().splitlines()[-1])["balanced"] is False
    assert "stored" in captured.err
