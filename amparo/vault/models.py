from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SubjectKind(models.TextChoices):
    CLIENT = "client", _("Client")
    DONOR = "donor", _("Donor")


class Subject(models.Model):
    """A person whose protected data is encrypted under one data key of its own.

    Shredding destroys the wrapped key (and the blind indexes that point at the person), after
    which everything encrypted for the subject is unreadable, in the database and in backups
    once the KEK they were wrapped under is retired.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=SubjectKind.choices)
    wrapped_key = models.BinaryField(null=True, editable=False)
    kek_id = models.CharField(_("key-encryption key"), max_length=64, editable=False)
    key_version = models.PositiveIntegerField(
        _("key version"),
        default=1,
        editable=False,
        help_text=_("Goes up each time the data key is rewrapped."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    shredded_at = models.DateTimeField(_("shredded"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["kek_id"], name="vault_subject_kek_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def is_shredded(self) -> bool:
        return self.shredded_at is not None


class ProtectedModel(models.Model):
    """Base for models that hold protected data: a client-generated UUID primary key (the row
    id is part of each value's associated data, so it must exist before the first INSERT) and
    the subject whose data key encrypts the row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="+", verbose_name=_("subject")
    )

    class Meta:
        abstract = True

    @property
    def is_shredded(self) -> bool:
        """True once the subject's data key was destroyed: pages then show the
        ``[removed on request]`` placeholder (:mod:`amparo.vault.display`) instead of values."""
        return bool(self.subject.is_shredded)


class KeyRing(models.Model):
    """One row: the KEK that new data keys are wrapped under.

    Creating a subject locks this row, and so does the last step of a rotation: no data key can
    be wrapped under a KEK after the rotation has checked that nothing uses it any more.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    active_kek_id = models.CharField(max_length=64)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("key ring")
        verbose_name_plural = _("key rings")

    def __str__(self) -> str:
        return self.active_kek_id


class RotationStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")


class KeyRotation(models.Model):
    """A KEK rotation: every data key is rewrapped from ``old_kek_id`` to ``new_kek_id``.

    Resumable: rows carry the KEK id they are wrapped under, so a rotation that stopped half-way
    picks up the rows still under the old KEK. ``retired_at`` is set once the old KEK is gone.
    """

    old_kek_id = models.CharField(max_length=64)
    new_kek_id = models.CharField(max_length=64)
    status = models.CharField(
        max_length=16, choices=RotationStatus.choices, default=RotationStatus.RUNNING
    )
    rewrapped = models.PositiveIntegerField(default=0)
    started_by_id = models.PositiveBigIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("key rotation")
        verbose_name_plural = _("key rotations")
        ordering: ClassVar[list[str]] = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.old_kek_id} → {self.new_kek_id} ({self.status})"
