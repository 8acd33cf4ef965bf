"""Models of the core app: plumbing shared by every other app, never client data."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateLimitWindow(models.Model):
    """How many hits one bucket made in one fixed time window.

    A bucket is a keyed hash (HMAC-SHA256 with a server secret) of what is being limited, an
    IP address, a user id or a token: the table never holds an address, an id or a token, so
    it carries no personal data and can be read by operators. Rows are counted with one
    atomic ``INSERT ... ON CONFLICT DO UPDATE`` (see ``amparo.core.ratelimit``), so every
    worker process on every machine shares the same counters. Expired windows are deleted
    by ``ratelimit_purge_expired``.
    """

    scope = models.CharField(_("scope"), max_length=64)
    bucket = models.CharField(_("bucket"), max_length=64)
    #: Start of the window, in whole seconds since the Unix epoch (UTC).
    window_start = models.BigIntegerField(_("window start"))
    #: When the row may be deleted, in whole seconds since the Unix epoch (UTC).
    expires_at = models.BigIntegerField(_("expires at"), db_index=True)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("rate limit window")
        verbose_name_plural = _("rate limit windows")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["scope", "bucket", "window_start"], name="ratelimit_window_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.bucket[:8]}… @{self.window_start}: {self.count}"


class ScheduledJob(models.Model):
    """When a periodic job (``amparo.core.schedule.PERIODIC``) may next be enqueued.

    Every worker process runs the scheduler; the job is enqueued by whichever worker first
    moves ``next_run_at`` forward with a conditional UPDATE, so it runs once per interval
    however many workers there are, on SQLite and on PostgreSQL.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    next_run_at = models.DateTimeField(_("next run"))
    last_enqueued_at = models.DateTimeField(_("last enqueued"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self) -> str:
        return self.name
