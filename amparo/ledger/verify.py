"""``amparo ledger verify``: add every entry and every balance up again, from the postings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Sum

from .models import AccountBalance, JournalEntry, Posting


@dataclass
class LedgerReport:
    entries: int = 0
    postings: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"balanced": self.balanced, "entries": self.entries, "postings": self.postings}


def ledger_verify() -> LedgerReport:
    """Every entry adds up to zero per currency and per restriction and has two or more
    postings; every running balance equals the sum of its postings (and no posting is missing
    from the balances); a reversal mirrors the entry it reverses."""
    report = LedgerReport(entries=JournalEntry.objects.count(), postings=Posting.objects.count())
    per_entry = (
        Posting.objects.order_by()
        .values("entry_id", "currency", "restriction_id")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
    )
    for row in per_entry[:20]:
        report.problems.append(
            f"entry {row['entry_id']} does not add up to zero in {row['currency']}"
            f" (restriction {row['restriction_id'] or '-'}): {row['total']}"
        )
    thin = (
        JournalEntry.objects.order_by()
        .annotate(n=Count("postings"))
        .filter(n__lt=2)
        .values_list("pk", flat=True)
    )
    for pk in thin[:20]:
        report.problems.append(f"entry {pk} has fewer than two postings")
    recomputed = {
        (row["account_id"], row["restriction_id"] or 0, row["currency"]): (
            int(row["total"]),
            int(row["n"]),
        )
        for row in Posting.objects.order_by()
        .values("account_id", "restriction_id", "currency")
        .annotate(total=Sum("amount"), n=Count("id"))
    }
    stored = {
        (b.account_id, b.restriction_key, b.currency): (b.amount, b.postings)
        for b in AccountBalance.objects.all()
    }
    for key in sorted(set(recomputed) | set(stored)):
        have = stored.get(key, (0, 0))
        want = recomputed.get(key, (0, 0))
        if have != want:
            report.problems.append(
                f"balance of account {key[0]} / restriction {key[1] or '-'} / {key[2]}: "
                f"stored {have[0]} ({have[1]} postings), postings add up to {want[0]} ({want[1]})"
            )
    for reversal in JournalEntry.objects.exclude(reverses=None).only("pk", "reverses_id"):
        mine = sorted(
            Posting.objects.filter(entry_id=reversal.pk).values_list(
                "account_id", "restriction_id", "currency", "amount"
            )
        )
        theirs = sorted(
            (a, r, c, -m)
            for a, r, c, m in Posting.objects.filter(entry_id=reversal.reverses_id).values_list(
                "account_id", "restriction_id", "currency", "amount"
            )
        )
        if mine != theirs:
            report.problems.append(
                f"entry {reversal.pk} does not mirror entry {reversal.reverses_id}"
            )
    return report
