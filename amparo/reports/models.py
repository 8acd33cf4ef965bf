"""Snapshots of the public impact figures: computed in the background, read by every page.

Computing and protecting the public figures takes seconds on a large fund (aggregates over every
case, then the protection's linear programs); reading a snapshot takes one indexed query. The
worker refreshes the snapshot every few minutes (``amparo.core.schedule``), so no visitor waits
for the computation; a page computes one itself only when there is none yet or the newest is too
old. A snapshot holds only published, already protected figures: never a client, never a small
count.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImpactSnapshot(models.Model):
    computed_at = models.DateTimeField(_("computed"), default=timezone.now, db_index=True)
    values = models.JSONField(_("published figures"))
    threshold = models.PositiveSmallIntegerField(_("small-cell threshold"))
    epsilon = models.FloatField(_("differential-privacy epsilon"), null=True, blank=True)
    seconds = models.FloatField(_("seconds to compute"))

    class Meta:
        verbose_name = _("impact snapshot")
        verbose_name_plural = _("impact snapshots")
        ordering: ClassVar[list[str]] = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"impact snapshot {self.computed_at:%Y-%m-%d %H:%M}"
