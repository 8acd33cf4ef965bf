"""Property tests: any sequence of valid operations keeps the books balanced, refused ones
change nothing, and a reversal restores every balance."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.core.services import SYSTEM
from amparo.ledger import chart
from amparo.ledger.models import AccountBalance, JournalEntry
from amparo.ledger.selectors import restriction_balances, trial_balance
from amparo.ledger.services import (
    LedgerError,
    PostingSpec,
    entry_post,
    entry_reverse,
    restricted_spend,
    restriction_ensure,
)
from amparo.ledger.verify import ledger_verify
from tests.clock import frozen

pytestmark = [pytest.mark.django_db, frozen]

amounts = st.integers(min_value=1, max_value=5_000_000)
operation = st.one_of(
    st.tuples(st.just("gift"), amounts, st.booleans()),
    st.tuples(st.just("public"), amounts, st.booleans()),
    st.tuples(st.just("spend"), amounts, st.booleans()),
    st.tuples(st.just("fee"), amounts, st.booleans()),
    st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=50), st.booleans()),
)


def _balances() -> dict[tuple[int, int, str], int]:
    return {
        (a, r, c): amount
        for a, r, c, amount in AccountBalance.objects.values_list(
            "account_id", "restriction_key", "currency", "amount"
        )
        if amount
    }


class Rollback(Exception):
    pass


def _run(ops: Any, user: Any) -> Any:
    restriction = restriction_ensure(
        slug="detained",
        name="Detained removal defense",
        grant_categories=["detained_removal"],
        by=SYSTEM,
    )
    day = timezone.localdate() - datetime.timedelta(days=1)
    posted: list[JournalEntry] = []
    for kind, value, restricted in ops:
        r = restriction if restricted else None
        before = _balances()
        try:
            if kind in ("gift", "public"):
                revenue = chart.CONTRIBUTIONS if kind == "gift" else chart.PUBLIC_FUNDS
                posted.append(
                    entry_post(
                        postings=[
                            PostingSpec(chart.CASH, value, "USD", r),
                            PostingSpec(revenue, -value, "USD", r),
                        ],
                        memo=kind,
                        effective_date=day,
                        by=user,
                    )
                )
            elif kind == "spend":
                posted.append(
                    restricted_spend(
                        restriction=restriction,
                        category="detained_removal",
                        amount=value,
                        currency="USD",
                        memo="spend",
                        effective_date=day,
                        by=user,
                    )
                )
            elif kind == "fee":
                posted.append(
                    entry_post(
                        postings=[
                            PostingSpec(chart.FEES_EXPENSE, value, "USD"),
                            PostingSpec(chart.CASH, -value, "USD"),
                        ],
                        memo="fee",
                        effective_date=day,
                        by=user,
                    )
                )
            elif posted:
                target = posted[value % len(posted)]
                reversal = entry_reverse(entry=target, reason="property", by=user)
                posted.remove(target)
                assert reversal.reverses_id == target.pk
        except LedgerError as exc:
            assert exc.code in ("overdrawn", "reversed", "reversal")
            assert _balances() == before, "a refused operation changed a balance"
        trial = trial_balance()
        assert trial.balanced
        assert all(amount >= 0 for _r, _c, amount in restriction_balances())
    report = ledger_verify()
    assert report.balanced, report.problems


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, min_size=1, max_size=12))
def test_any_sequence_of_operations_keeps_the_books_balanced(treasurer: Any, ops: Any) -> None:
    with pytest.raises(Rollback), transaction.atomic():
        _run(ops, treasurer)
        raise Rollback


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    history=st.lists(st.tuples(amounts, st.booleans()), max_size=5),
    lines=st.lists(st.tuples(amounts, st.booleans()), min_size=1, max_size=4),
)
def test_a_reversal_restores_every_balance(treasurer: Any, history: Any, lines: Any) -> None:
    with pytest.raises(Rollback), transaction.atomic():
        restriction = restriction_ensure(slug="r", name="R", by=SYSTEM)
        day = timezone.localdate()
        for amount, restricted in history:
            r = restriction if restricted else None
            entry_post(
                postings=[
                    PostingSpec(chart.CASH, amount, "USD", r),
                    PostingSpec(chart.CONTRIBUTIONS, -amount, "USD", r),
                ],
                memo="history",
                effective_date=day,
                by=treasurer,
            )
        before = _balances()
        postings = []
        for amount, restricted in lines:
            r = restriction if restricted else None
            postings += [
                PostingSpec(chart.RECEIVABLE, amount, "USD", r),
                PostingSpec(chart.PUBLIC_FUNDS, -amount, "USD", r),
            ]
        entry = entry_post(postings=postings, memo="entry", effective_date=day, by=treasurer)
        assert _balances() != before
        entry_reverse(entry=entry, reason="mistake", by=treasurer)
        assert _balances() == before
        raise Rollback
