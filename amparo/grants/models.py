"""Grant rounds, applications, board review, awards, tranches and grantee reports.

None of these rows holds client data: applications describe organizations, reports carry
aggregate counts only. Money is integer minor units.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.ledger.models import Restriction
from amparo.organizations.models import GrantCategory, ProviderOrganization


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for applications")
    CLOSED = "closed", _("Closed")
    IN_REVIEW = "in_review", _("In review by the board")
    DECIDED = "decided", _("Decided")


def default_categories() -> list[str]:
    return list(GrantCategory.values)


class GrantRound(models.Model):
    name = models.CharField(_("name"), max_length=200)
    categories = models.JSONField(_("categories"), default=default_categories)
    budget = models.PositiveBigIntegerField(_("budget"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("deadline"))
    restriction = models.ForeignKey(
        Restriction,
        on_delete=models.PROTECT,
        related_name="grant_rounds",
        verbose_name=_("draws from"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("grant round")
        verbose_name_plural = _("grant rounds")
        ordering: ClassVar[list[str]] = ["-opens_on", "-pk"]

    def __str__(self) -> str:
        return self.name

    def category_labels(self) -> list[str]:
        labels = dict(GrantCategory.choices)
        return [str(labels.get(c, c)) for c in self.categories]


class Criterion(models.Model):
    """One line of a round's rubric: scores 1-5, weighted."""

    round = models.ForeignKey(GrantRound, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Application(models.Model):
    round = models.ForeignKey(GrantRound, on_delete=models.PROTECT, related_name="applications")
    organization = models.ForeignKey(
        ProviderOrganization, on_delete=models.PROTECT, related_name="grant_applications"
    )
    category = models.CharField(_("category"), max_length=32, choices=GrantCategory.choices)
    narrative = models.TextField(_("narrative"))
    requested = models.PositiveBigIntegerField(_("requested"), default=0)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering: ClassVar[list[str]] = ["pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["round", "organization"], name="grants_one_app_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.round})"


class BudgetLine(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    description = models.CharField(_("description"), max_length=200)
    amount = models.PositiveBigIntegerField(_("amount"))

    class Meta:
        ordering: ClassVar[list[str]] = ["pk"]

    def __str__(self) -> str:
        return f"budgetline {self.pk}"


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    data = models.BinaryField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["pk"]

    def __str__(self) -> str:
        return f"attachment {self.pk}"


class Conflict(models.Model):
    """A board member's declared conflict with one application or a whole organization."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grant_conflicts"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="conflicts"
    )
    organization = models.ForeignKey(
        ProviderOrganization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(application__isnull=False)
                | models.Q(organization__isnull=False),
                name="grants_conflict_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"conflict {self.pk}"


class Score(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["application", "member", "criterion"], name="grants_one_score"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=1, value__lte=5), name="grants_score_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"score {self.pk}"


class Award(models.Model):
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="award")
    amount = models.PositiveBigIntegerField(_("amount awarded"))
    decided_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("award")
        ordering: ClassVar[list[str]] = ["pk"]

    def __str__(self) -> str:
        return str(self.application)


class Tranche(models.Model):
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="tranches")
    number = models.PositiveSmallIntegerField()
    amount = models.PositiveBigIntegerField(_("amount"))
    due_on = models.DateField(_("scheduled for"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    entry_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["award", "number"], name="grants_tranche_number")
        ]

    def __str__(self) -> str:
        return f"tranche {self.pk}"


class ReportState(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    DUE = "due", _("Due")
    LATE = "late", _("Late")
    VERY_LATE = "very_late", _("Very late")
    SUBMITTED = "submitted", _("Submitted")


class GranteeReport(models.Model):
    """A quarterly report of a grantee: aggregate counts only, never a client."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="reports")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_on = models.DateField(_("due"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    #: {"opened": {category: n}, "closed": {category: n}, "outcomes": {kind: n}}
    counts = models.JSONField(default=dict, blank=True)
    detained_served = models.PositiveIntegerField(_("detained people served"), default=0)
    spend = models.PositiveBigIntegerField(_("spend"), default=0)
    narrative = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["due_on", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["award", "period_start"], name="grants_one_report")
        ]

    def __str__(self) -> str:
        return f"granteereport {self.pk}"


class ReportReminder(models.Model):
    """One reminder per report and state: the unique constraint makes reminding idempotent."""

    report = models.ForeignKey(GranteeReport, on_delete=models.CASCADE, related_name="reminders")
    state = models.CharField(max_length=16, choices=ReportState.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["report", "state"], name="grants_one_reminder")
        ]

    def __str__(self) -> str:
        return f"reportreminder {self.pk}"
