"""Posting, reversing and spending restricted money: what is refused changes nothing."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.core.services import SYSTEM, ServiceError
from amparo.ledger import chart
from amparo.ledger.models import AccountBalance, JournalEntry, Posting
from amparo.ledger.selectors import restriction_balances, trial_balance
from amparo.ledger.services import (
    LedgerError,
    PostingSpec,
    books_close,
    entry_post,
    entry_reverse,
    restricted_spend,
)
from amparo.ledger.verify import ledger_verify
from tests.clock import frozen

pytestmark = [pytest.mark.django_db, frozen]


def _gift(amount: Any, day: Any, by: Any, restriction: Any = None, ref: Any = "") -> Any:
    return entry_post(
        postings=[
            PostingSpec(chart.CASH, amount, "USD", restriction),
            PostingSpec(chart.CONTRIBUTIONS, -amount, "USD", restriction),
        ],
        memo="Gift",
        effective_date=day,
        by=by,
        source="donation",
        source_ref=ref,
    )


def _snapshot() -> Any:
    return sorted(
        AccountBalance.objects.values_list("account_id", "restriction_key", "currency", "amount")
    )


def test_a_balanced_entry_is_posted_audited_and_moves_the_balances(
    treasurer: Any, day: Any
) -> None:
    entry = _gift(12_345, day, treasurer)
    assert entry.postings.count() == 2
    assert AuditEvent.objects.filter(action="ledger.entry_posted", object_id=str(entry.pk)).exists()
    trial = trial_balance()
    assert trial.balanced
    assert trial.totals["USD"] == (12_345, 12_345)
    assert ledger_verify().balanced


@pytest.mark.parametrize(
    ("postings", "code"),
    [
        (
            [PostingSpec(chart.CASH, 100, "USD"), PostingSpec(chart.CONTRIBUTIONS, -99, "USD")],
            "unbalanced",
        ),
        ([PostingSpec(chart.CASH, 100, "USD")], "postings"),
        ([PostingSpec(chart.CASH, 0, "USD"), PostingSpec(chart.CONTRIBUTIONS, 0, "USD")], "zero"),
        (
            [PostingSpec(chart.CASH, 100, "XYZ"), PostingSpec(chart.CONTRIBUTIONS, -100, "XYZ")],
            "currency",
        ),
        (
            [PostingSpec(chart.CASH, 100, "EUR"), PostingSpec(chart.CONTRIBUTIONS, -100, "EUR")],
            "currency",
        ),
        (
            [PostingSpec(chart.CASH, 100, "USD"), PostingSpec(chart.CONTRIBUTIONS, -100, "EUR")],
            "currency",
        ),
        (
            [PostingSpec("9999", 100, "USD"), PostingSpec(chart.CONTRIBUTIONS, -100, "USD")],
            "account",
        ),
        (
            [
                PostingSpec(chart.CASH, 1.5, "USD"),  # type: ignore[arg-type]
                PostingSpec(chart.CONTRIBUTIONS, -1.5, "USD"),  # type: ignore[arg-type]
            ],
            "amount",
        ),
    ],
)
def test_bad_entries_are_refused_and_nothing_is_posted(
    treasurer: Any, day: Any, postings: Any, code: Any
) -> None:
    with pytest.raises(LedgerError) as info:
        entry_post(postings=postings, memo="Bad", effective_date=day, by=treasurer)
    assert info.value.code == code
    assert str(info.value)
    assert not JournalEntry.objects.exists()
    assert not Posting.objects.exists()
    assert not AccountBalance.objects.exclude(amount=0).exists()


def test_future_and_closed_dates_are_refused(treasurer: Any, day: Any) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(LedgerError) as info:
        _gift(100, tomorrow, treasurer)
    assert info.value.code == "future"
    books_close(through=day, by=treasurer, reason="Year end")
    with pytest.raises(LedgerError) as info:
        _gift(100, day, treasurer)
    assert info.value.code == "closed"
    assert _gift(100, day + datetime.timedelta(days=1), treasurer).pk


def test_the_same_reference_is_posted_once(treasurer: Any, day: Any) -> None:
    _gift(100, day, treasurer, ref="GIFT-1")
    with pytest.raises(LedgerError) as info:
        _gift(100, day, treasurer, ref="GIFT-1")
    assert info.value.code == "duplicate"
    assert JournalEntry.objects.count() == 1


def test_restricted_money_cannot_be_moved_to_unrestricted_in_one_entry(
    treasurer: Any, day: Any, detained: Any
) -> None:
    _gift(10_000, day, treasurer, restriction=detained)
    with pytest.raises(LedgerError) as info:
        entry_post(
            postings=[
                PostingSpec(chart.GRANTS_EXPENSE, 5_000, "USD"),
                PostingSpec(chart.CASH, -5_000, "USD", detained),
            ],
            memo="Spend restricted cash on anything",
            effective_date=day,
            by=treasurer,
        )
    assert info.value.code == "restriction_unbalanced"


def test_spending_beyond_the_restricted_balance_is_refused(
    treasurer: Any, day: Any, detained: Any
) -> None:
    _gift(10_000, day, treasurer, restriction=detained)
    restricted_spend(
        restriction=detained,
        category="detained_removal",
        amount=6_000,
        currency="USD",
        memo="Tranche 1",
        effective_date=day,
        by=treasurer,
    )
    before = _snapshot()
    with pytest.raises(LedgerError) as info:
        restricted_spend(
            restriction=detained,
            category="detained_removal",
            amount=4_001,
            currency="USD",
            memo="Tranche 2",
            effective_date=day,
            by=treasurer,
        )
    assert info.value.code == "overdrawn"
    assert _snapshot() == before
    assert [(r.slug, c, a) for r, c, a in restriction_balances()] == [(detained.slug, "USD", 4_000)]
    with pytest.raises(LedgerError) as info:
        restricted_spend(
            restriction=detained,
            category="capacity_building",
            amount=100,
            currency="USD",
            memo="Wrong purpose",
            effective_date=day,
            by=treasurer,
        )
    assert info.value.code == "outside_restriction"
    assert _snapshot() == before


def test_a_reversal_restores_every_balance_and_happens_once(
    treasurer: Any, day: Any, detained: Any
) -> None:
    _gift(5_000, day, treasurer)
    before = _snapshot()
    entry = _gift(7_000, day, treasurer, restriction=detained)
    with pytest.raises(LedgerError):
        entry_reverse(entry=entry, reason="  ", by=treasurer)
    reversal = entry_reverse(entry=entry, reason="Bounced check", by=treasurer)
    assert reversal.reverses_id == entry.pk
    assert reversal.reason == "Bounced check"
    after = {(a, r, c): amt for a, r, c, amt in _snapshot()}
    assert {k: v for k, v in after.items() if v} == {
        (a, r, c): amt for a, r, c, amt in before if amt
    }
    with pytest.raises(LedgerError) as info:
        entry_reverse(entry=entry, reason="Again", by=treasurer)
    assert info.value.code == "reversed"
    with pytest.raises(LedgerError) as info:
        entry_reverse(entry=reversal, reason="Undo the undo", by=treasurer)
    assert info.value.code == "reversal"
    assert ledger_verify().balanced


def test_reversing_a_restricted_receipt_whose_money_was_spent_is_refused(
    treasurer: Any, day: Any, detained: Any
) -> None:
    entry = _gift(1_000, day, treasurer, restriction=detained)
    restricted_spend(
        restriction=detained,
        category="detained_removal",
        amount=800,
        currency="USD",
        memo="Spent",
        effective_date=day,
        by=treasurer,
    )
    with pytest.raises(LedgerError) as info:
        entry_reverse(entry=entry, reason="Refund", by=treasurer)
    assert info.value.code == "overdrawn"


@pytest.mark.django_db(transaction=True)
def test_concurrent_spends_cannot_both_pass(make_user: Any, detained: Any) -> None:
    """Two spends of 7,000 from 10,000 at once: one passes, one is refused."""
    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.fail("needs a file database")  # pragma: no cover
    treasurer = make_user()
    day = timezone.localdate()
    _gift(10_000, day, treasurer, restriction=detained)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def spend(n: int) -> None:
        from django.db import connections

        try:
            barrier.wait()
            restricted_spend(
                restriction=detained,
                category="detained_removal",
                amount=7_000,
                currency="USD",
                memo=f"Spend {n}",
                effective_date=day,
                by=treasurer,
            )
            results.append("ok")
        except LedgerError as exc:
            results.append(exc.code)
        except Exception as exc:
            results.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=spend, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "overdrawn"]
    assert [a for _r, _c, a in restriction_balances()] == [3_000]
    assert ledger_verify().balanced


@pytest.mark.parametrize("role", [Role.BOARD_MEMBER, Role.PROVIDER_ADMIN, Role.DONOR])
def test_only_fund_administrators_and_the_system_post(make_user: Any, day: Any, role: str) -> None:
    with pytest.raises(PermissionDenied):
        _gift(100, day, make_user(role))
    with pytest.raises(PermissionDenied):
        books_close(through=day, by=make_user(role))
    assert not JournalEntry.objects.exists()
    entry = _gift(100, day, SYSTEM)
    assert entry.posted_by_id is None


def test_a_refusal_of_the_books_is_a_service_error(treasurer: Any, day: Any) -> None:
    with pytest.raises(ServiceError) as info:
        entry_reverse(entry=_gift(100, day, treasurer), reason=" ", by=treasurer)
    assert isinstance(info.value, LedgerError)
    assert info.value.code == "reason"
    assert info.value.messages == ["Say why the entry is reversed."]
