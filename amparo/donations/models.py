"""Money coming in: donors (protected), pledges, gifts, receipts and public appropriations.

A donor's name and email are encrypted under the donor's own data key (``amparo.vault``) and
found by a blind index of the email; what may be shown publicly is ``public_name``, and only
when the donor consented. A gift without a donor is anonymous. Every gift and every payment of
an appropriation is posted to the ledger in the same transaction that records it.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amparo.vault.display import shown
from amparo.vault.fields import BlindIndexField, EncryptedCharField
from amparo.vault.models import ProtectedModel
from amparo.vault.validators import validate_email, validate_name


class GiftLocked(Exception):
    """A receipted gift cannot be changed."""


class Donor(ProtectedModel):
    name = EncryptedCharField(_("name"), max_length=200, blank=True, validators=[validate_name])
    email = EncryptedCharField(_("email"), max_length=254, blank=True, validators=[validate_email])
    email_index = BlindIndexField(source="email", normalizer="email")
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    #: Shown on public pages only when ``public_consent`` is true.
    public_name = models.CharField(_("name to show publicly"), max_length=120, blank=True)
    public_consent = models.BooleanField(_("may be thanked by name in public"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="donor_profiles",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("donor")
        verbose_name_plural = _("donors")

    def __str__(self) -> str:
        return f"{_('Donor')} {str(self.pk)[:8]}"

    @property
    def display_name(self) -> str:
        """The name for receipts and staff pages; ``[removed on request]`` once shredded."""
        return shown(lambda: self.name, empty=str(_("(no name given)")))


class Frequency(models.TextChoices):
    ONCE = "once", _("One time")
    MONTHLY = "monthly", _("Every month")
    YEARLY = "yearly", _("Every year")


class PledgeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for payment")
    ACTIVE = "active", pgettext_lazy("pledge", "Active")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Pledge(models.Model):
    """A promise to give, once or on a schedule, paid through a payment processor."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    donor = models.ForeignKey(
        Donor, on_delete=models.PROTECT, null=True, blank=True, related_name="pledges"
    )
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    frequency = models.CharField(_("how often"), max_length=16, choices=Frequency.choices)
    designation = models.ForeignKey(
        "ledger.Restriction", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PledgeStatus.choices, default=PledgeStatus.PENDING
    )
    processor = models.CharField(_("payment processor"), max_length=40)
    processor_ref = models.CharField(max_length=100, blank=True)
    next_charge_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} {self.amount} {self.currency}"


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    IMPORT = "import", _("Imported file")
    PROCESSOR = "processor", _("Payment processor payout")
    BANK = "bank", _("Bank statement")


class Gift(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    donor = models.ForeignKey(
        Donor, on_delete=models.PROTECT, null=True, blank=True, related_name="gifts"
    )
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    received_on = models.DateField(_("received"))
    reference = models.CharField(_("reference"), max_length=100, unique=True)
    designation = models.ForeignKey(
        "ledger.Restriction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("designation"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    pledge = models.ForeignKey(
        Pledge, on_delete=models.PROTECT, null=True, blank=True, related_name="gifts"
    )
    entry = models.OneToOneField(
        "ledger.JournalEntry", on_delete=models.PROTECT, related_name="gift"
    )
    receipted_at = models.DateTimeField(_("receipted"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("gift")
        verbose_name_plural = _("gifts")
        ordering: ClassVar[list[str]] = ["-received_on", "-created_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["received_on"], name="donations_gift_date_idx"),
        ]
        constraints: ClassVar[list[Any]] = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="donations_gift_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.pk is not None:
            stored = Gift.objects.filter(pk=self.pk).values_list("receipted_at", flat=True).first()
            if stored is not None:
                raise GiftLocked("a receipted gift is locked against edits")
        super().save(*args, **kwargs)

    @property
    def is_receipted(self) -> bool:
        return self.receipted_at is not None

    @property
    def is_anonymous(self) -> bool:
        return self.donor_id is None


class ReceiptKind(models.TextChoices):
    GIFT = "gift", _("Tax receipt")
    YEAR_END = "year_end", _("Year-end statement")


class Receipt(models.Model):
    number = models.CharField(_("number"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ReceiptKind.choices)
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="receipts")
    gift = models.OneToOneField(
        Gift, on_delete=models.PROTECT, null=True, blank=True, related_name="receipt"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    total = models.BigIntegerField(_("total"))
    currency = models.CharField(_("currency"), max_length=3)
    language = models.CharField(_("language"), max_length=8)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by_id = models.PositiveBigIntegerField(null=True, blank=True)
    #: When the receipt was mailed to the donor: set in the transaction that sends it, so a
    #: retried task finds it set and sends nothing.
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering: ClassVar[list[str]] = ["-issued_at"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["donor", "year"],
                condition=models.Q(kind="year_end"),
                name="donations_one_statement_per_year",
            )
        ]

    def __str__(self) -> str:
        return self.number


class ReportingFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    ANNUAL = "annual", _("Annual")


class Appropriation(models.Model):
    """Public money granted to the fund for a restricted purpose over a period, e.g. a city
    appropriation only for detained removal defense, reported on quarterly."""

    name = models.CharField(_("name"), max_length=200)
    funder = models.CharField(_("funder"), max_length=200)
    restriction = models.ForeignKey(
        "ledger.Restriction", on_delete=models.PROTECT, related_name="appropriations"
    )
    amount = models.BigIntegerField(_("amount appropriated"))
    currency = models.CharField(_("currency"), max_length=3)
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    reporting = models.CharField(
        _("reports"), max_length=16, choices=ReportingFrequency.choices, default="quarterly"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("appropriation")
        verbose_name_plural = _("appropriations")
        ordering: ClassVar[list[str]] = ["-period_start"]
        constraints: ClassVar[list[Any]] = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="donations_appropriation_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="donations_appropriation_period",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AppropriationPayment(models.Model):
    appropriation = models.ForeignKey(
        Appropriation, on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.BigIntegerField(_("amount"))
    received_on = models.DateField(_("received"))
    reference = models.CharField(_("reference"), max_length=100, unique=True)
    entry = models.OneToOneField(
        "ledger.JournalEntry", on_delete=models.PROTECT, related_name="appropriation_payment"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("appropriation payment")
        verbose_name_plural = _("appropriation payments")
        ordering: ClassVar[list[str]] = ["received_on"]

    def __str__(self) -> str:
        return self.reference
