from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    """Audit events are never changed or deleted."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events are append-only")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit events are append-only")


class AuditEvent(models.Model):
    """One thing that happened to protected data: who, what, when, why. Never values.

    Events form a hash chain: ``hash`` is SHA-256 over a canonical JSON of the event including
    ``prev_hash``, the hash of the event before it (``seq`` - 1). Database triggers refuse
    UPDATE and DELETE; ``amparo audit verify`` finds an event that was edited, removed or
    inserted anyway.
    """

    seq = models.PositiveBigIntegerField(_("number"), unique=True, editable=False)
    actor_id = models.PositiveBigIntegerField(
        _("actor"), null=True, blank=True, editable=False, help_text=_("Empty for the system.")
    )
    action = models.CharField(_("action"), max_length=64, editable=False)
    object_type = models.CharField(_("object type"), max_length=100, editable=False)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, editable=False)
    fields = models.JSONField(_("fields"), default=list, blank=True, editable=False)
    reason = models.TextField(_("reason"), blank=True, editable=False)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("time"), editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering: ClassVar[list[str]] = ["-seq"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["object_type", "object_id"], name="audit_event_object_idx"),
            models.Index(fields=["actor_id", "created_at"], name="audit_event_actor_idx"),
            models.Index(fields=["created_at"], name="audit_event_time_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events are append-only")


class AuditChainHead(models.Model):
    """One row: the last event's number and hash.

    Appending locks this row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
    transactions serialize writers already), so two writers cannot both chain onto the same
    event. It also lets ``verify`` notice events removed from, or added after, the end.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"


class ExportRecord(models.Model):
    """How many protected records one user exported, and when: the export guard's memory.

    Holds a count and a kind (an object type such as ``donations.gift``), never a value.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=100)
    count = models.PositiveIntegerField(_("records"))

    class Meta:
        verbose_name = _("export record")
        verbose_name_plural = _("export records")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["user", "at"], name="audit_export_user_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} x{self.count} @ {self.at:%Y-%m-%d %H:%M}"
