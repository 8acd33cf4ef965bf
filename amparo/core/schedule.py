"""Periodic background jobs: retention purges, referral timers, reminders, cleanups.

Each job is a django-tasks task (arguments: none, so nothing personal) with an interval. Every
`amparo worker` ticks the scheduler once a minute; a job is enqueued by the one worker whose
conditional UPDATE of its ``ScheduledJob`` row wins, so any number of workers share the schedule.
`amparo schedule --list` shows it; `amparo schedule --run-due` ticks once (for cron, or tests).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("amparo.schedule")


@dataclass(frozen=True)
class Periodic:
    name: str
    task: str  # dotted path of a django-tasks Task taking no arguments
    every: datetime.timedelta
    #: dotted path of a no-argument predicate; the job is skipped while it returns False
    enabled: str | None = None


PERIODIC: list[Periodic] = [
    Periodic(
        "help-request-retention",
        "amparo.intake.tasks.purge_expired_help_requests",
        datetime.timedelta(hours=1),
    ),
    Periodic(
        "text-conversations-abandoned",
        "amparo.smsintake.tasks.abandon_stale_conversations",
        datetime.timedelta(hours=1),
    ),
    Periodic(
        "referral-sla-sweep",
        "amparo.referrals.tasks.referrals_sweep",
        datetime.timedelta(minutes=5),
    ),
    Periodic(
        "hearing-reminders",
        "amparo.notify.tasks.dispatch_reminders",
        datetime.timedelta(minutes=15),
    ),
    Periodic(
        "referral-answer-reminders",
        "amparo.notify.tasks.notify_referral_reminders",
        datetime.timedelta(minutes=5),
    ),
    Periodic(
        "deadline-digests",
        "amparo.notify.tasks.notify_deadline_digests",
        datetime.timedelta(hours=1),
    ),
    Periodic(
        "grantee-report-reminders",
        "amparo.grants.tasks.send_report_reminders",
        datetime.timedelta(days=1),
    ),
    Periodic(
        "recurring-pledges", "amparo.donations.tasks.charge_due_pledges", datetime.timedelta(days=1)
    ),
    Periodic(
        "impact-snapshot",
        "amparo.reports.tasks.refresh_impact_snapshot",
        datetime.timedelta(minutes=5),
    ),
    Periodic(
        "sms-unlinked-retention",
        "amparo.sms.tasks.purge_unlinked_messages",
        datetime.timedelta(hours=1),
    ),
    Periodic(
        "sms-deferred",
        "amparo.sms.tasks.send_deferred_messages",
        datetime.timedelta(minutes=15),
    ),
    Periodic(
        "rate-limit-cleanup",
        "amparo.core.ratelimit.purge_rate_limit_windows",
        datetime.timedelta(hours=1),
    ),
    Periodic(
        "encrypted-backup",
        "amparo.backups.tasks.scheduled_backup",
        datetime.timedelta(days=1),
        enabled="amparo.backups.tasks.backups_enabled",
    ),
]


def schedule_tick(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every job that is due and that no other worker claimed; returns their names."""
    from .models import ScheduledJob

    now = now or timezone.now()
    enqueued: list[str] = []
    for job in PERIODIC:
        if job.enabled is not None and not import_string(job.enabled)():
            continue
        try:
            with transaction.atomic():
                ScheduledJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
        except IntegrityError:  # another worker created it at the same moment
            pass
        with transaction.atomic():
            claimed = ScheduledJob.objects.filter(name=job.name, next_run_at__lte=now).update(
                next_run_at=now + job.every, last_enqueued_at=now
            )
            if claimed:
                task = import_string(job.task)
                transaction.on_commit(task.enqueue)
                enqueued.append(job.name)
    if enqueued:
        logger.info("scheduled: %s", ", ".join(enqueued))
    return enqueued
