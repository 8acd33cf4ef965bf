"""Reminders to clients: one row per (hearing, offset, channel), whatever happens to it.

The row is both the plan and the record. The unique constraint makes a second row for the same
reminder impossible, and the status is written before anything leaves (see ``services``), so a
retried task finds ``sending`` or ``sent`` and sends nothing. Nothing personal is stored here:
the address is read from the client's encrypted record at the moment of sending.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for its time")
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    DEFERRED = "deferred", _("Held until morning (quiet hours)")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent")


#: States in which the reminder can still go out.
OPEN_STATES = frozenset({ReminderStatus.PENDING, ReminderStatus.DEFERRED, ReminderStatus.FAILED})


class Reminder(models.Model):
    hearing = models.ForeignKey("cases.Hearing", on_delete=models.CASCADE, related_name="reminders")
    offset_days = models.PositiveSmallIntegerField(_("days before the hearing"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    send_after = models.DateTimeField(_("send from"))
    #: Set when quiet hours deferred a text message: not before this moment.
    not_before = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    language = models.CharField(max_length=8, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    #: Why it failed or was skipped: a code, never an address or a message body.
    detail = models.CharField(max_length=120, blank=True)
    provider_id = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering: ClassVar[list[str]] = ["send_after", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["hearing", "offset_days", "channel"], name="notify_reminder_unique"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["status", "send_after"], name="notify_reminder_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.hearing_id} -{self.offset_days}d {self.channel} {self.status}"
