"""Reading the books: trial balance, statements, restricted balances, money in by month.

Balances come from the running balances (a few rows); period figures from an indexed
GROUP BY over the postings of the period. None of this holds protected data.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from .chart import CONTRIBUTIONS, PUBLIC_FUNDS
from .models import (
    EQUITY_TYPES,
    Account,
    AccountBalance,
    AccountType,
    JournalEntry,
    Posting,
    Restriction,
)


@dataclass
class TrialBalanceRow:
    account: Account
    currency: str
    debit: int
    credit: int


@dataclass
class TrialBalance:
    rows: list[TrialBalanceRow] = field(default_factory=list)
    #: currency -> (total debits, total credits)
    totals: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def balanced(self) -> bool:
        return all(debit == credit for debit, credit in self.totals.values())


def trial_balance() -> TrialBalance:
    """Every account's balance per currency, debits and credits apart (from running balances)."""
    accounts = {a.pk: a for a in Account.objects.all()}
    sums = (
        AccountBalance.objects.values("account_id", "currency")
        .annotate(total=Sum("amount"))
        .order_by("currency", "account__code")
    )
    result = TrialBalance()
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in sums:
        total = int(row["total"] or 0)
        if total == 0:
            continue
        debit, credit = (total, 0) if total > 0 else (0, -total)
        result.rows.append(
            TrialBalanceRow(accounts[row["account_id"]], row["currency"], debit, credit)
        )
        totals[row["currency"]][0] += debit
        totals[row["currency"]][1] += credit
    result.totals = {c: (d, k) for c, (d, k) in sorted(totals.items())}
    return result


def trial_balance_from_postings() -> dict[tuple[int, str], int]:
    """The same balances re-added from every posting (GROUP BY): (account id, currency) -> sum."""
    return {
        (row["account_id"], row["currency"]): int(row["total"])
        for row in Posting.objects.order_by()
        .values("account_id", "currency")
        .annotate(total=Sum("amount"))
    }


@dataclass
class Line:
    label: str
    amount: int
    code: str = ""


@dataclass
class Position:
    """Statement of financial position of one currency."""

    currency: str
    assets: list[Line] = field(default_factory=list)
    liabilities: list[Line] = field(default_factory=list)
    net_without: int = 0
    net_with: list[Line] = field(default_factory=list)

    @property
    def total_assets(self) -> int:
        return sum(line.amount for line in self.assets)

    @property
    def total_liabilities(self) -> int:
        return sum(line.amount for line in self.liabilities)

    @property
    def total_net_with(self) -> int:
        return sum(line.amount for line in self.net_with)

    @property
    def total_net_assets(self) -> int:
        return self.net_without + self.total_net_with

    @property
    def total_liabilities_and_net_assets(self) -> int:
        return self.total_liabilities + self.total_net_assets


def restriction_balances(currency: str | None = None) -> list[tuple[Restriction, str, int]]:
    """(restriction, currency, money held for it) for every restriction with postings."""
    rows = (
        AccountBalance.objects.filter(restriction_key__gt=0, account__type__in=EQUITY_TYPES)
        .values("restriction_id", "currency")
        .annotate(total=Sum("amount"))
        .order_by("restriction_id", "currency")
    )
    if currency:
        rows = rows.filter(currency=currency)
    restrictions = Restriction.objects.in_bulk([r["restriction_id"] for r in rows])
    found = [
        (restrictions[r["restriction_id"]], r["currency"], -int(r["total"] or 0)) for r in rows
    ]
    return sorted(found, key=lambda item: (item[1], item[0].name))


def financial_position() -> list[Position]:
    """Statements of financial position, one per currency with balances."""
    positions: dict[str, Position] = {}
    per_account = (
        AccountBalance.objects.values("account_id", "currency")
        .annotate(total=Sum("amount"))
        .order_by("account__code")
    )
    accounts = {a.pk: a for a in Account.objects.all()}
    without: dict[str, int] = defaultdict(int)
    for row in per_account:
        currency, total = row["currency"], int(row["total"] or 0)
        position = positions.setdefault(currency, Position(currency))
        account = accounts[row["account_id"]]
        if account.type == AccountType.ASSET and total:
            position.assets.append(Line(account.label, total, account.code))
        elif account.type == AccountType.LIABILITY and total:
            position.liabilities.append(Line(account.label, -total, account.code))
    for currency, total in (
        AccountBalance.objects.filter(restriction_key=0, account__type__in=EQUITY_TYPES)
        .values("currency")
        .annotate(total=Sum("amount"))
        .values_list("currency", "total")
    ):
        without[currency] -= int(total or 0)
    for currency, amount in without.items():
        positions.setdefault(currency, Position(currency)).net_without = amount
    for restriction, currency, amount in restriction_balances():
        positions.setdefault(currency, Position(currency)).net_with.append(
            Line(restriction.name, amount, restriction.slug)
        )
    return [positions[c] for c in sorted(positions)]


@dataclass
class ActivityLine:
    label: str
    code: str
    without: int = 0
    restricted: int = 0

    @property
    def total(self) -> int:
        return self.without + self.restricted


@dataclass
class Activities:
    currency: str
    start: datetime.date
    end: datetime.date
    revenue: list[ActivityLine] = field(default_factory=list)
    expenses: list[ActivityLine] = field(default_factory=list)

    def _sum(self, lines: list[ActivityLine], attr: str) -> int:
        return sum(getattr(line, attr) for line in lines)

    @property
    def revenue_without(self) -> int:
        return self._sum(self.revenue, "without")

    @property
    def revenue_restricted(self) -> int:
        return self._sum(self.revenue, "restricted")

    @property
    def expenses_without(self) -> int:
        return self._sum(self.expenses, "without")

    @property
    def expenses_restricted(self) -> int:
        return self._sum(self.expenses, "restricted")

    @property
    def change_without(self) -> int:
        return self.revenue_without - self.expenses_without

    @property
    def change_restricted(self) -> int:
        return self.revenue_restricted - self.expenses_restricted

    @property
    def change_total(self) -> int:
        return self.change_without + self.change_restricted


def activities(*, start: datetime.date, end: datetime.date) -> list[Activities]:
    """Statement of activities for ``start``..``end`` (inclusive), one per currency."""
    rows = (
        Posting.objects.filter(
            entry__effective_date__gte=start,
            entry__effective_date__lte=end,
            account__type__in=(AccountType.REVENUE, AccountType.EXPENSE),
        )
        .values("account_id", "currency")
        .annotate(
            without=Sum("amount", filter=Q(restriction__isnull=True)),
            restricted=Sum("amount", filter=Q(restriction__isnull=False)),
        )
        .order_by("account__code")
    )
    accounts = {a.pk: a for a in Account.objects.all()}
    result: dict[str, Activities] = {}
    for row in rows:
        account = accounts[row["account_id"]]
        statement = result.setdefault(row["currency"], Activities(row["currency"], start, end))
        sign = -1 if account.type == AccountType.REVENUE else 1
        line = ActivityLine(
            account.label,
            account.code,
            sign * int(row["without"] or 0),
            sign * int(row["restricted"] or 0),
        )
        (statement.revenue if account.type == AccountType.REVENUE else statement.expenses).append(
            line
        )
    return [result[c] for c in sorted(result)]


#: Source types of money coming in, by revenue account.
SOURCE_TYPES = {CONTRIBUTIONS: "donations", PUBLIC_FUNDS: "public"}


def money_in_by_month(*, start: datetime.date, end: datetime.date) -> list[dict[str, Any]]:
    """Revenue received per month and source type (donations, public money, other)."""
    rows = (
        Posting.objects.filter(
            entry__effective_date__gte=start,
            entry__effective_date__lte=end,
            account__type=AccountType.REVENUE,
        )
        .annotate(month=TruncMonth("entry__effective_date"))
        .values("month", "account__code", "currency")
        .annotate(total=Sum("amount"))
        .order_by("month", "account__code")
    )
    months: dict[tuple[datetime.date, str], dict[str, Any]] = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        key = (month, row["currency"])
        item = months.setdefault(
            key,
            {"month": month, "currency": row["currency"], "donations": 0, "public": 0, "other": 0},
        )
        item[SOURCE_TYPES.get(row["account__code"], "other")] += -int(row["total"] or 0)
    for item in months.values():
        item["total"] = item["donations"] + item["public"] + item["other"]
    return [months[k] for k in sorted(months)]


def journal_counts() -> dict[str, int]:
    return {
        "entries": JournalEntry.objects.count(),
        "postings": Posting.objects.count(),
        "accounts_with_postings": AccountBalance.objects.aggregate(
            n=Count("account", distinct=True)
        )["n"],
    }
