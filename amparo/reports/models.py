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


class ImpactRelease(models.Model):
    """The noised figures of one reporting period (a calendar quarter in the fund's time zone):
    drawn once, the first time the period's page is needed, and never again, so the period's
    privacy budget (``epsilon``) is spent once however often the page is refreshed.

    ``atoms`` holds the noised partitions the figures are sums of (already differentially
    private); ``values`` the figures protected from them. Protecting again (a new threshold) is
    post-processing of ``atoms`` and spends nothing.
    """

    period = models.CharField(_("period"), max_length=7)
    slice = models.CharField(_("slice"), max_length=40, default="public")
    epsilon = models.CharField(_("differential-privacy epsilon"), max_length=40)
    atoms = models.JSONField(_("noised atoms"))
    values = models.JSONField(_("published figures"))
    threshold = models.PositiveSmallIntegerField(_("small-cell threshold"))
    drawn_at = models.DateTimeField(_("drawn"), default=timezone.now)

    class Meta:
        verbose_name = _("impact release")
        verbose_name_plural = _("impact releases")
        ordering: ClassVar[list[str]] = ["-period", "slice"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["period", "slice"], name="impact_release_once")
        ]

    def __str__(self) -> str:
        return f"impact release {self.slice} {self.period}"
