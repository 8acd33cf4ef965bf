"""Posting a batch: the same books as posting its entries one at a time, and all or nothing.

``entries_post`` validates a whole batch in Python, then inserts its entries and postings with
multi-row statements (COPY on PostgreSQL) and moves each running balance once. These tests
compare that with ``entry_post`` called entry by entry, and with balances added up here from
the specs themselves.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.audit.models import AuditEvent
from amparo.core.services import SYSTEM
from amparo.ledger import chart
from amparo.ledger.models import (
    Account,
    AccountBalance,
    AppendOnlyError,
    JournalEntry,
    Posting,
    Restriction,
)
from amparo.ledger.selectors import trial_balance
from amparo.ledger.services import (
    EntrySpec,
    LedgerError,
    PostingSpec,
    entries_post,
    entry_post,
    restriction_ensure,
)
from amparo.ledger.verify import ledger_verify
from tests.clock import frozen

pytestmark = [pytest.mark.django_db, frozen]

TWO_CURRENCIES = {**django_settings.AMPARO, "CURRENCIES": ("USD", "EUR")}
HYPOTHESIS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Rollback(Exception):
    pass


amounts = st.integers(min_value=1, max_value=9_000_000)
#: (kind, amount, second amount, restricted?, currency, days ago)
operation = st.tuples(
    st.sampled_from(["gift", "public", "fee", "split", "spend", "transfer"]),
    amounts,
    amounts,
    st.booleans(),
    st.sampled_from(["USD", "EUR"]),
    st.integers(min_value=0, max_value=400),
)


def _specs(ops: Any, restriction: Restriction) -> list[EntrySpec]:
    """Valid entries, in an order in which each can also be posted alone: a restricted spend
    is turned into a gift while the restriction does not hold enough money in its currency."""
    held: dict[str, int] = defaultdict(int)
    today = timezone.localdate()
    specs = []
    for n, (kind, amount, other, restricted, currency, days) in enumerate(ops):
        r = restriction if restricted else None
        if kind == "spend" and (r is None or held[currency] < amount):
            kind = "gift"
        if kind in ("gift", "public"):
            revenue = chart.CONTRIBUTIONS if kind == "gift" else chart.PUBLIC_FUNDS
            postings = [
                PostingSpec(chart.CASH, amount, currency, r),
                PostingSpec(revenue, -amount, currency, r),
            ]
            if r is not None:
                held[currency] += amount
        elif kind == "split":  # two postings on the same account, restriction and currency
            postings = [
                PostingSpec(chart.CASH, amount, currency, r),
                PostingSpec(chart.CASH, other, currency, r),
                PostingSpec(chart.CONTRIBUTIONS, -(amount + other), currency, r),
            ]
            if r is not None:
                held[currency] += amount + other
        elif kind == "spend":
            postings = [
                PostingSpec(chart.GRANTS_EXPENSE, amount, currency, r),
                PostingSpec(chart.CASH, -amount, currency, r),
            ]
            held[currency] -= amount
        elif kind == "transfer":  # one entry in two currencies, each adding up to zero
            postings = [
                PostingSpec(chart.CASH, amount, "USD"),
                PostingSpec(chart.PROCESSOR_CLEARING, -amount, "USD"),
                PostingSpec(chart.CASH, other, "EUR"),
                PostingSpec(chart.PROCESSOR_CLEARING, -other, "EUR"),
            ]
        else:
            postings = [
                PostingSpec(chart.FEES_EXPENSE, amount, currency),
                PostingSpec(chart.CASH, -amount, currency),
            ]
        specs.append(
            EntrySpec(
                postings=postings,
                memo=f"{kind} {n}",
                effective_date=today - datetime.timedelta(days=days),
                source_ref=f"ref-{n}" if n % 3 == 0 else "",
            )
        )
    return specs


def _code(account: Any) -> str:
    return account.code if isinstance(account, Account) else str(account)


def _expected(specs: list[EntrySpec]) -> dict[tuple[str, int, str], tuple[int, int]]:
    """(account code, restriction id or 0, currency) -> (amount, postings), added up here."""
    totals: dict[tuple[str, int, str], list[int]] = defaultdict(lambda: [0, 0])
    for spec in specs:
        for p in spec.postings:
            key = (_code(p.account), p.restriction.pk if p.restriction else 0, p.currency)
            totals[key][0] += p.amount
            totals[key][1] += 1
    return {key: (amount, count) for key, (amount, count) in totals.items()}


def _books() -> dict[str, Any]:
    """Everything the ledger stores that does not depend on primary keys or posting time."""
    codes = dict(Account.objects.values_list("pk", "code"))
    balances = {
        (codes[b.account_id], b.restriction_key, b.currency): (b.amount, b.postings)
        for b in AccountBalance.objects.all()
    }
    entries = [
        (
            e.effective_date,
            e.memo,
            e.source,
            e.source_ref,
            sorted(
                (codes[p.account_id], p.restriction_id or 0, p.currency, p.amount)
                for p in e.postings.all()
            ),
        )
        for e in JournalEntry.objects.order_by("pk").prefetch_related("postings")
    ]
    return {"balances": balances, "entries": entries, "trial": _trial()}


def _trial() -> list[tuple[str, str, int, int]]:
    return [(r.account.code, r.currency, r.debit, r.credit) for r in trial_balance().rows]


def _post_and_read(specs: list[EntrySpec], by: Any, *, one_by_one: bool) -> dict[str, Any]:
    """Post ``specs`` inside a transaction that is rolled back; what the books looked like."""
    books: dict[str, Any] = {}
    with pytest.raises(Rollback), transaction.atomic():
        if one_by_one:
            for spec in specs:
                entry_post(
                    postings=spec.postings,
                    memo=spec.memo,
                    effective_date=spec.effective_date,
                    by=by,
                    source_ref=spec.source_ref,
                )
        else:
            made = entries_post(entries=specs, by=by)
            assert [e.memo for e in made] == [s.memo for s in specs]
        books.update(_books())
        report = ledger_verify()
        assert report.balanced, report.problems
        books["verify"] = report.as_dict()
        raise Rollback
    return books


@override_settings(AMPARO=TWO_CURRENCIES)
@HYPOTHESIS
@given(ops=st.lists(operation, min_size=1, max_size=40))
def test_a_batch_leaves_the_same_books_as_its_entries_posted_one_by_one(
    treasurer: Any, ops: Any
) -> None:
    restriction = restriction_ensure(slug="detained", name="Detained removal defense", by=SYSTEM)
    specs = _specs(ops, restriction)
    batch = _post_and_read(specs, treasurer, one_by_one=False)
    single = _post_and_read(specs, treasurer, one_by_one=True)
    assert batch == single
    assert batch["balances"] == _expected(specs)
    assert batch["verify"]["postings"] == sum(len(s.postings) for s in specs)
    assert JournalEntry.objects.count() == 0, "both runs were rolled back"


def test_a_large_batch_links_every_posting_to_its_own_entry(treasurer: Any, day: Any) -> None:
    # Enough entries and postings to need several INSERT statements on SQLite.
    specs = [
        EntrySpec(
            postings=[
                PostingSpec(chart.CASH, n + 1, "USD"),
                PostingSpec(chart.CONTRIBUTIONS, -(n + 1), "USD"),
            ]
            + (
                [PostingSpec(chart.FEES_EXPENSE, 7, "USD"), PostingSpec(chart.CASH, -7, "USD")]
                if n % 2
                else []
            ),
            memo=f"entry {n}",
            effective_date=day,
            reason=f"why {n}",
        )
        for n in range(1_300)
    ]
    made = entries_post(entries=specs, by=treasurer, source="bench", reason="batch")
    assert len(made) == 1_300
    assert [e.pk for e in made] == sorted(e.pk for e in made)
    stored = {e.pk: e for e in JournalEntry.objects.all()}
    amounts: dict[int, list[int]] = defaultdict(list)
    for entry_id, amount in Posting.objects.values_list("entry_id", "amount"):
        amounts[entry_id].append(amount)
    for n, entry in enumerate(made):
        assert stored[entry.pk].memo == entry.memo == f"entry {n}"
        assert stored[entry.pk].reason == entry.reason == f"why {n}"
        assert stored[entry.pk].source == entry.source == "bench"
        assert stored[entry.pk].effective_date == entry.effective_date == day
        assert stored[entry.pk].posted_by_id == entry.posted_by_id == treasurer.pk
        assert stored[entry.pk].posted_at == entry.posted_at
        expected = [n + 1, -(n + 1), 7, -7] if n % 2 else [n + 1, -(n + 1)]
        assert sorted(amounts[entry.pk]) == sorted(expected)
    assert Posting.objects.count() == 1_300 * 2 + 650 * 2
    cash = AccountBalance.objects.get(account__code=chart.CASH, restriction_key=0)
    assert cash.amount == sum(range(1, 1_301)) - 7 * 650
    assert cash.postings == 1_300 + 650
    event = AuditEvent.objects.get(action="ledger.entries_posted")
    assert event.object_id == f"{made[0].pk}-{made[-1].pk}"
    assert event.actor_id == treasurer.pk
    assert ledger_verify().balanced


def test_a_posted_entry_comes_back_as_a_stored_row_that_cannot_be_changed(
    treasurer: Any, day: Any
) -> None:
    made = entries_post(
        entries=[
            EntrySpec(
                postings=[
                    PostingSpec(chart.CASH, 500, "USD"),
                    PostingSpec(chart.CONTRIBUTIONS, -500, "USD"),
                ],
                memo="  Gift  ",
                effective_date=day,
                source_ref="g-1",
            )
        ],
        by=treasurer,
        source="donation",
    )
    entry = made[0]
    assert entry.pk is not None and not entry._state.adding
    assert entry.memo == "Gift"
    fresh = JournalEntry.objects.get(pk=entry.pk)
    assert (fresh.memo, fresh.source, fresh.source_ref) == ("Gift", "donation", "g-1")
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AuditEvent.objects.filter(action="ledger.entry_posted", object_id=str(entry.pk)).exists()


def _good(n: int, day: datetime.date, restriction: Restriction | None = None) -> EntrySpec:
    return EntrySpec(
        postings=[
            PostingSpec(chart.CASH, 1_000 + n, "USD", restriction),
            PostingSpec(chart.CONTRIBUTIONS, -(1_000 + n), "USD", restriction),
        ],
        memo=f"good {n}",
        effective_date=day,
        source_ref=f"good-{n}",
    )


def _bad(kind: str, day: datetime.date, restriction: Restriction) -> EntrySpec:
    """An entry that breaks one rule; ``overdrawn`` only shows once the rows are written."""
    cash, revenue = chart.CASH, chart.CONTRIBUTIONS
    postings = {
        "unbalanced": [PostingSpec(cash, 100, "USD"), PostingSpec(revenue, -99, "USD")],
        "zero": [PostingSpec(cash, 0, "USD"), PostingSpec(revenue, 0, "USD")],
        "one_posting": [PostingSpec(cash, 100, "USD")],
        "account": [PostingSpec("9999", 100, "USD"), PostingSpec(revenue, -100, "USD")],
        "currency": [PostingSpec(cash, 100, "XXX"), PostingSpec(revenue, -100, "XXX")],
        "not_kept": [PostingSpec(cash, 100, "EUR"), PostingSpec(revenue, -100, "EUR")],
        "float": [PostingSpec(cash, 1.5, "USD"), PostingSpec(revenue, -1.5, "USD")],  # type: ignore[arg-type]
        "restriction_unbalanced": [
            PostingSpec(cash, 100, "USD", restriction),
            PostingSpec(revenue, -100, "USD"),
        ],
        "overdrawn": [
            PostingSpec(chart.GRANTS_EXPENSE, 10**12, "USD", restriction),
            PostingSpec(cash, -(10**12), "USD", restriction),
        ],
    }.get(kind, [PostingSpec(cash, 100, "USD"), PostingSpec(revenue, -100, "USD")])
    memo = "" if kind == "memo" else "x" * 301 if kind == "long_memo" else f"bad {kind}"
    when = day
    if kind == "future":
        when = timezone.localdate() + datetime.timedelta(days=1)
    return EntrySpec(
        postings=postings,
        memo=memo,
        effective_date=when,
        source_ref="already-posted" if kind == "posted_before" else "",
    )


BAD_KINDS = [
    "unbalanced",
    "zero",
    "one_posting",
    "account",
    "currency",
    "not_kept",
    "float",
    "restriction_unbalanced",
    "overdrawn",
    "memo",
    "long_memo",
    "future",
    "posted_before",
]


@HYPOTHESIS
@given(
    size=st.integers(min_value=1, max_value=30),
    where=st.integers(min_value=0, max_value=30),
    kind=st.sampled_from(BAD_KINDS),
)
def test_one_invalid_entry_anywhere_in_a_batch_posts_nothing(
    treasurer: Any, detained: Restriction, day: datetime.date, size: int, where: int, kind: str
) -> None:
    with pytest.raises(Rollback), transaction.atomic():
        entry_post(
            postings=[
                PostingSpec(chart.CASH, 50_000, "USD", detained),
                PostingSpec(chart.PUBLIC_FUNDS, -50_000, "USD", detained),
            ],
            memo="city money",
            effective_date=day,
            by=treasurer,
            source_ref="already-posted",
            source="manual",
        )
        books, events = _books(), AuditEvent.objects.count()
        specs = [_good(n, day, detained if n % 2 else None) for n in range(size)]
        specs.insert(min(where, size), _bad(kind, day, detained))
        with pytest.raises(LedgerError) as refused:
            entries_post(entries=specs, by=treasurer, source="manual")
        assert refused.value.code != "integrity"
        assert _books() == books, f"a batch refused for {kind} changed the books"
        assert AuditEvent.objects.count() == events
        assert ledger_verify().balanced
        # The same batch without the bad entry posts in full.
        specs.pop(min(where, size))
        entries_post(entries=specs, by=treasurer, source="manual")
        assert JournalEntry.objects.count() == 1 + size
        raise Rollback


def test_a_refused_batch_can_be_fixed_and_posted(treasurer: Any, detained: Any, day: Any) -> None:
    """The overdraft check runs after the rows are written: a refusal takes them back out."""
    spend = EntrySpec(
        postings=[
            PostingSpec(chart.GRANTS_EXPENSE, 700, "USD", detained),
            PostingSpec(chart.CASH, -700, "USD", detained),
        ],
        memo="tranche",
        effective_date=day,
    )
    with pytest.raises(LedgerError) as refused:
        entries_post(entries=[_good(1, day), spend], by=treasurer)
    assert refused.value.code == "overdrawn"
    assert JournalEntry.objects.count() == Posting.objects.count() == 0
    assert not AccountBalance.objects.exclude(amount=0).exists()
    # Money for the restriction first, in the same batch: the batch's net effect is checked.
    made = entries_post(entries=[_good(2, day, detained), spend], by=treasurer)
    assert len(made) == 2
    held = AccountBalance.objects.get(account__code=chart.CONTRIBUTIONS, restriction=detained)
    assert held.amount == -1_002
    assert ledger_verify().balanced
