"""Reminders to clients: one row per (hearing, offset, channel), whatever happens to it.

The row is both the plan and the record. The unique constraint makes a second row for the same
reminder impossible, and the status is written before anything leaves (see ``services``), so a
retried task finds ``sending`` or ``sent`` and sends nothing. Nothing personal is stored here:
the address is read from the client's encrypted record at the moment of sending.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.roles import Role


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


# --- staff notifications -----------------------------------------------------------------------


class NotificationKind(models.TextChoices):
    REFERRAL_DETAINED = "referral_detained", _("A referral for a detained person arrives")
    REFERRAL_RECEIVED = "referral_received", _("A referral arrives")
    REFERRAL_REMINDER = "referral_reminder", _("A referral is still unanswered")
    REFERRAL_DETAINED_REMINDER = (
        "detained_reminder",
        _("A referral for a detained person is still unanswered"),
    )
    REFERRAL_REROUTED = "referral_rerouted", _("A referral goes to another provider")
    CASE_ASSIGNED = "case_assigned", _("You are assigned to a case")
    HEARING_CHANGED = "hearing_changed", _("A hearing on your case changes")
    DEADLINE_DIGEST = "deadline_digest", _("Daily summary of your deadlines")
    ESCALATION = "escalation", _("A request lands in the escalation queue")


#: Kinds whose email nobody can turn off: a detained person cannot wait for the morning.
ALWAYS_EMAILED = frozenset(
    {NotificationKind.REFERRAL_DETAINED, NotificationKind.REFERRAL_DETAINED_REMINDER}
)
#: Kinds that are urgent: their email goes out even in quiet hours.
URGENT = ALWAYS_EMAILED


#: The kinds each role can receive (and choose about on the settings page).
ROLE_KINDS: dict[str, tuple[str, ...]] = {
    Role.PROVIDER_ADMIN: (
        NotificationKind.REFERRAL_DETAINED,
        NotificationKind.REFERRAL_RECEIVED,
        NotificationKind.REFERRAL_REMINDER,
        NotificationKind.REFERRAL_DETAINED_REMINDER,
        NotificationKind.REFERRAL_REROUTED,
        NotificationKind.CASE_ASSIGNED,
        NotificationKind.HEARING_CHANGED,
    ),
    Role.ATTORNEY: (
        NotificationKind.CASE_ASSIGNED,
        NotificationKind.HEARING_CHANGED,
        NotificationKind.DEADLINE_DIGEST,
    ),
    Role.FUND_ADMIN: (NotificationKind.ESCALATION,),
}


class EmailState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    DEFERRED = "deferred", _("Held until morning (quiet hours)")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    OFF = "off", _("Not sent: email turned off")


class Notification(models.Model):
    """One thing a staff member is told, in the app (always) and by email (if they want it).

    The unique key (recipient, kind, subject, occasion) makes a second row for the same event
    impossible, and the email state is claimed before anything leaves (as for reminders), so a
    retried task sends nothing twice. Nothing protected is stored: a reference, a path on this
    site and a few plain values (an answer-by time, counts, case references) in ``params``.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=NotificationKind.choices)
    #: What it is about, as ``"<model>:<pk>"`` (never shown), and which time it happened.
    subject = models.CharField(max_length=64)
    occasion = models.CharField(max_length=64, blank=True)
    reference = models.CharField(_("reference"), max_length=24, blank=True)
    url = models.CharField(_("link"), max_length=200)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_state = models.CharField(
        _("email"), max_length=12, choices=EmailState.choices, default=EmailState.PENDING
    )
    email_not_before = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    #: Why the email failed: an exception's class name, never an address or a body.
    email_detail = models.CharField(max_length=120, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering: ClassVar[list[str]] = ["-created_at", "-pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject", "occasion"],
                name="notify_notification_once",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["recipient", "read_at"], name="notify_notif_unread_idx"),
            models.Index(fields=["email_state", "email_not_before"], name="notify_notif_email_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference} → {self.recipient_id}"


class NotificationPreference(models.Model):
    """A user's choice of email for one kind; no row means the default (email on)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=NotificationKind.choices)
    email = models.BooleanField(_("by email"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "kind"], name="notify_preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} email={self.email}"
