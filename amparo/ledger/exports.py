"""Exports of the journal: CSV (safe in a spreadsheet) and beancount text (an independent check).

Neither holds protected data: postings carry accounts, restrictions, amounts, memos and
references, never a donor's or a client's name.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

from amparo.audit.csv_export import neutralize

from .currency import plain_amount
from .models import AccountType, JournalEntry, Posting

CSV_HEADER = (
    "entry",
    "date",
    "source",
    "reference",
    "memo",
    "reverses",
    "account",
    "account_name",
    "restriction",
    "currency",
    "debit",
    "credit",
)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _postings() -> Iterator[Posting]:
    return (
        Posting.objects.select_related("entry", "account", "restriction")
        .order_by("entry__effective_date", "entry_id", "id")
        .iterator(chunk_size=2000)
    )


def journal_csv_rows() -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for p in _postings():
        entry = p.entry
        cells = (
            entry.pk,
            entry.effective_date.isoformat(),
            entry.source,
            entry.source_ref,
            entry.memo,
            entry.reverses_id or "",
            p.account.code,
            p.account.name,
            p.restriction.slug if p.restriction else "",
            p.currency,
            plain_amount(p.amount, p.currency) if p.amount > 0 else "",
            plain_amount(-p.amount, p.currency) if p.amount < 0 else "",
        )
        yield writer.writerow([neutralize(cell) for cell in cells])


_ROOTS = {
    AccountType.ASSET: "Assets",
    AccountType.LIABILITY: "Liabilities",
    AccountType.NET_ASSETS: "Equity",
    AccountType.NET_ASSETS_RESTRICTED: "Equity",
    AccountType.REVENUE: "Income",
    AccountType.EXPENSE: "Expenses",
}
_COMPONENT = re.compile(r"[^A-Za-z0-9-]+")


def _component(text: str) -> str:
    cleaned = _COMPONENT.sub("-", text).strip("-") or "X"
    return cleaned[0].upper() + cleaned[1:]


def beancount_account(account_type: str, code: str, restriction_slug: str | None) -> str:
    """``Assets:A1000:Unrestricted`` / ``Income:A4100:R-detained-removal-defense``."""
    fund = f"R-{restriction_slug}" if restriction_slug else "Unrestricted"
    return f"{_ROOTS[AccountType(account_type)]}:A{_component(code)}:{_component(fund)}"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def beancount_lines() -> Iterator[str]:
    """The journal as a beancount file: `bean-check` on it should pass, and its balances are the
    trial balance's, computed by a program that shares no code with ours."""
    first = (
        JournalEntry.objects.order_by("effective_date")
        .values_list("effective_date", flat=True)
        .first()
    )
    yield "; Amparo ledger export (beancount syntax)\n"
    opened: set[str] = set()
    used = (
        Posting.objects.order_by()
        .values_list("account__type", "account__code", "restriction__slug", "currency")
        .distinct()
    )
    names: dict[str, set[str]] = {}
    for account_type, code, slug, currency in used:
        names.setdefault(beancount_account(account_type, code, slug), set()).add(currency)
    for name in sorted(names):
        if first is not None and name not in opened:
            opened.add(name)
            yield f"{first.isoformat()} open {name} {','.join(sorted(names[name]))}\n"
    current: int | None = None
    for p in _postings():
        entry = p.entry
        if entry.pk != current:
            current = entry.pk
            yield "\n"
            yield f"{entry.effective_date.isoformat()} * {_quote(entry.memo)}\n"
            yield f'  entry: "{entry.pk}"\n'
        name = beancount_account(
            p.account.type, p.account.code, p.restriction.slug if p.restriction else None
        )
        yield f"  {name}  {plain_amount(p.amount, p.currency) if p.amount > 0 else '-' + plain_amount(-p.amount, p.currency)} {p.currency}\n"
