"""Referrals: a help request offered to one provider organization, with its SLA timer.

Nothing protected is stored here: the person's data stays on the help request, encrypted. The
conflict check keeps only which kinds of record matched (never the values).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.intake.models import HelpRequest
from amparo.organizations.models import AttorneyProfile, ProviderOrganization


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Not answered in time")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReferralMethod(models.TextChoices):
    SINGLE = "single", _("Best provider for this request")
    BATCH = "batch", _("Batch assignment of the queue")
    MANUAL = "manual", _("Chosen by staff")


class ConflictStatus(models.TextChoices):
    CLEAR = "clear", _("No match")
    HIT = "hit", _("Possible conflict")


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("No capacity right now")
    CONFLICT = "conflict", _("Conflict of interest")
    PRACTICE_AREA = "practice_area", _("Outside our practice areas")
    LANGUAGE = "language", _("We cannot serve this language")
    AREA = "area", _("Outside our service area")
    UNREACHABLE = "unreachable", _("We could not reach the person")
    OTHER = "other", _("Another reason")


class Referral(models.Model):
    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.PROTECT, related_name="referrals"
    )
    organization = models.ForeignKey(
        ProviderOrganization, on_delete=models.PROTECT, related_name="referrals"
    )
    attorney = models.ForeignKey(
        AttorneyProfile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggested_referrals",
        verbose_name=_("suggested attorney"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    method = models.CharField(_("how it was chosen"), max_length=8, choices=ReferralMethod.choices)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    conflict = models.CharField(_("conflict check"), max_length=8, choices=ConflictStatus.choices)
    #: Kinds of record that matched, e.g. ["client.a_number", "adverse_party.name"]; never values.
    conflict_matches = models.JSONField(default=list, blank=True)
    conflict_waived = models.BooleanField(
        _("conflict checked and waived by the provider"), default=False
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    due_at = models.DateTimeField(_("answer due"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decline_reason = models.CharField(
        _("reason"), max_length=16, choices=DeclineReason.choices, blank=True
    )
    lead_attorney = models.ForeignKey(
        AttorneyProfile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accepted_referrals",
        verbose_name=_("lead attorney"),
    )
    case_id = models.CharField(_("case"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering: ClassVar[list[str]] = ["-sent_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # The database-level guard: a help request is accepted at most once, so two
            # providers accepting at the same moment can never open two cases.
            models.UniqueConstraint(
                fields=["help_request"],
                condition=Q(status="accepted"),
                name="referral_one_accepted_per_request",
            ),
            # And offered to one provider at a time.
            models.UniqueConstraint(
                fields=["help_request"],
                condition=Q(status="pending"),
                name="referral_one_pending_per_request",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["status", "due_at"], name="referral_sla_idx"),
            models.Index(fields=["organization", "status"], name="referral_org_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.help_request.reference} → {self.organization}"

    @property
    def is_pending(self) -> bool:
        return self.status == ReferralStatus.PENDING

    @property
    def overdue(self) -> bool:
        return self.is_pending and self.due_at <= timezone.now()
