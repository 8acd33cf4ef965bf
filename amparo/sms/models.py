"""The text channel's records.

- :class:`SmsNumber`: what the channel remembers of a phone number, without the number: a blind
  index of it (HMAC, scope ``sms``), its last language (a code), and whether it opted out. It
  outlives every message, so a STOP holds after the messages are shredded.
- :class:`SmsMessage`: one text in or out. The number and the body are protected (encrypted
  under a subject's data key): the help request's subject once the message is linked to one (so
  it is shredded with the request), the client's for a hearing reminder, else a subject of its
  own, shredded after :data:`UNLINKED_RETENTION`.
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.vault.fields import BlindIndexField, EncryptedCharField, EncryptedTextField
from amparo.vault.models import ProtectedModel

#: Messages that belong to no request are shredded after this long.
UNLINKED_RETENTION = datetime.timedelta(days=1)
#: The blind index scope of numbers in this channel: not linkable to other tables' phones.
NUMBER_SCOPE = "sms"


class Direction(models.TextChoices):
    INBOUND = "in", _("Received")
    OUTBOUND = "out", _("Sent")


class Kind(models.TextChoices):
    CONVERSATION = "conversation", _("Conversation")
    KEYWORD = "keyword", _("Keyword")
    STATUS = "status", _("Status code")
    STATUS_CHANGE = "status_change", _("Status change")
    REMINDER = "reminder", _("Hearing reminder")
    STAFF = "staff", _("Staff reply")


class DeliveryStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    REPLIED = "replied", _("Sent as the answer")
    DEFERRED = "deferred", _("Waiting for the end of quiet hours")
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    UNDELIVERED = "undelivered", _("Not delivered")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent (opted out)")


#: The statuses a provider's callback may write.
CALLBACK_STATUSES = frozenset({"queued", "sent", "delivered", "undelivered", "failed"})


class SmsNumber(models.Model):
    number_index = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=8, blank=True)
    opted_out_at = models.DateTimeField(_("opted out"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("text-message number")

    def __str__(self) -> str:
        return f"SmsNumber {self.pk}"


class SmsMessage(ProtectedModel):
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    phone = EncryptedCharField(_("phone"), max_length=40)
    phone_index = BlindIndexField(source="phone", normalizer="phone", scope=NUMBER_SCOPE)
    body = EncryptedTextField(_("text"))
    provider_id = models.CharField(max_length=64, blank=True)
    delivery_status = models.CharField(
        _("delivery"), max_length=12, choices=DeliveryStatus.choices, blank=True
    )
    error_code = models.CharField(max_length=16, blank=True)
    help_request = models.ForeignKey(
        "intake.HelpRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    send_after = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("text message")
        ordering = ("created_at",)
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # The same provider message (a webhook sent twice) is stored, and processed, once.
            models.UniqueConstraint(
                fields=["direction", "provider_id"],
                condition=~models.Q(provider_id=""),
                name="sms_message_provider_id_once",
            )
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["phone_index", "created_at"], name="sms_message_number_idx"),
            models.Index(fields=["help_request", "created_at"], name="sms_message_request_idx"),
        ]

    def __str__(self) -> str:
        return f"SmsMessage {self.pk}"
