"""The fund's books: accounts, restrictions, journal entries and their postings.

Amounts are signed integer minor units: a debit is positive, a credit negative, so an entry
balances when its postings add up to zero (per currency and per restriction). Entries and
postings are append-only (model guards here, database triggers in ``triggers.py``); a mistake
is corrected by a reversing entry. ``AccountBalance`` holds the running balance of each
account per restriction and currency, written in the same transaction as the postings, so a
trial balance reads a few rows instead of every posting.
"""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AppendOnlyError(Exception):
    """Journal entries and postings are never changed or deleted."""


class AccountType(models.TextChoices):
    ASSET = "asset", _("Asset")
    LIABILITY = "liability", _("Liability")
    NET_ASSETS = "net_assets", _("Net assets without donor restriction")
    NET_ASSETS_RESTRICTED = (
        "net_assets_restricted",
        _("Net assets with donor or public restriction"),
    )
    REVENUE = "revenue", _("Revenue")
    EXPENSE = "expense", _("Expense")


#: Account types whose balances are the fund's net assets (revenue and expenses are not closed
#: into net assets: a statement adds them up instead).
EQUITY_TYPES = (
    AccountType.NET_ASSETS,
    AccountType.NET_ASSETS_RESTRICTED,
    AccountType.REVENUE,
    AccountType.EXPENSE,
)


class RestrictionKind(models.TextChoices):
    DONOR = "donor", _("Donor restriction")
    PUBLIC = "public", _("Public (appropriation) restriction")


class Restriction(models.Model):
    """A purpose money is held for, e.g. "detained removal defense": money received under it
    can only be spent under it. Locking this row serializes every spend from it."""

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=RestrictionKind.choices)
    #: Grant categories (organizations.GrantCategory values) the money may pay for; empty: any.
    grant_categories = models.JSONField(_("grant categories"), default=list, blank=True)
    program_slug = models.SlugField(_("program"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("restriction")
        verbose_name_plural = _("restrictions")
        ordering: ClassVar[list[str]] = ["name"]

    def __str__(self) -> str:
        return self.name

    def allows(self, category: str) -> bool:
        return not self.grant_categories or category in self.grant_categories


class Account(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=32, choices=AccountType.choices)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering: ClassVar[list[str]] = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        """The standard accounts' names are translated; others show their stored name."""
        from .chart import STANDARD_ACCOUNTS

        standard = STANDARD_ACCOUNTS.get(self.code)
        return str(standard.name) if standard else self.name


class EntrySource(models.TextChoices):
    MANUAL = "manual", _("Manual entry")
    DONATION = "donation", _("Donation")
    APPROPRIATION = "appropriation", _("Public money")
    DISBURSEMENT = "disbursement", _("Grant disbursement")
    REVERSAL = "reversal", _("Reversal")
    BENCH = "bench", _("Benchmark")


class _AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("the journal is append-only")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("the journal is append-only")


class _AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("the journal is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("the journal is append-only")


class JournalEntry(_AppendOnly):
    """One business event, posted once. Created only by ``amparo.ledger.services``."""

    effective_date = models.DateField(_("date"))
    memo = models.CharField(_("memo"), max_length=300)
    reason = models.TextField(_("reason"), blank=True)
    source = models.CharField(
        pgettext_lazy("origin", "source"), max_length=32, choices=EntrySource.choices
    )
    #: What the entry records (a gift id, a payment reference): posting it twice is refused.
    source_ref = models.CharField(_("source reference"), max_length=100, blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    posted_by_id = models.PositiveBigIntegerField(_("posted by"), null=True, blank=True)
    posted_at = models.DateTimeField(_("posted"), default=timezone.now)

    objects = _AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering: ClassVar[list[str]] = ["effective_date", "id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["effective_date"], name="ledger_entry_date_idx"),
        ]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["source", "source_ref"],
                condition=~models.Q(source_ref=""),
                name="ledger_entry_source_ref_unique",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.effective_date} {self.memo}"


class Posting(_AppendOnly):
    entry = models.ForeignKey(
        JournalEntry, on_delete=models.PROTECT, related_name="postings", verbose_name=_("entry")
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="postings", verbose_name=_("account")
    )
    restriction = models.ForeignKey(
        Restriction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
        verbose_name=_("restriction"),
    )
    #: Minor units; debit > 0, credit < 0.
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)

    objects = _AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering: ClassVar[list[str]] = ["entry_id", "id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["account", "restriction", "currency"], name="ledger_posting_balance_idx"
            ),
        ]
        constraints: ClassVar[list[Any]] = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="ledger_posting_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount} {self.currency}"


class AccountBalance(models.Model):
    """The running balance of one account, for one restriction (0: none) and one currency."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="balances")
    restriction = models.ForeignKey(
        Restriction, on_delete=models.PROTECT, null=True, blank=True, related_name="balances"
    )
    #: ``restriction_id`` or 0, so that the unique constraint also holds for "no restriction".
    restriction_key = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    amount = models.BigIntegerField(default=0)
    postings = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("account balance")
        verbose_name_plural = _("account balances")
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["account", "restriction_key", "currency"], name="ledger_balance_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id}/{self.restriction_key} {self.amount} {self.currency}"


class BooksClosed(models.Model):
    """The books are closed through ``through``: no entry may be dated on or before it."""

    through = models.DateField(_("closed through"))
    closed_by_id = models.PositiveBigIntegerField(null=True, blank=True)
    closed_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("closed period")
        verbose_name_plural = _("closed periods")
        ordering: ClassVar[list[str]] = ["-through", "-id"]

    def __str__(self) -> str:
        return str(self.through)
