"""Queueing hearing reminders: the dispatcher and the background tasks it feeds.

Arguments of tasks are ids only, never personal data. The dispatcher lives here, beside the task
it enqueues, so that the services it calls (planning and sending, in ``services``) never import
the queue: ``tasks`` imports ``services``, never the other way round.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from amparo.cases.choices import CaseStatus, HearingStatus
from amparo.cases.models import Hearing
from amparo.core.services import SYSTEM, Actor, is_system, require

from . import events
from .models import OPEN_STATES, EmailState, Notification, Reminder, ReminderStatus
from .notifications import notification_email_send
from .services import RETRY_AFTER, config, offsets, reminder_send, reminders_sync


@task()
def send_reminder(reminder_id: int) -> dict[str, Any]:
    """Send one reminder; a second run (a retry, a duplicate) finds it claimed and does nothing."""
    return {"reminder": int(reminder_id), "result": reminder_send(int(reminder_id), by=SYSTEM)}


@task()
def dispatch_reminders() -> dict[str, Any]:
    """Plan and enqueue the reminders that are due (what ``amparo reminders`` runs)."""
    report = reminders_dispatch(by=SYSTEM)
    return {
        "planned_hearings": report.planned_hearings,
        "queued": report.queued,
        "skipped": report.skipped,
    }


# --- dispatching --------------------------------------------------------------------------------


@dataclass
class DispatchReport:
    planned_hearings: int = 0
    queued: int = 0
    skipped: int = 0


def reminders_dispatch(*, by: Actor, now: datetime.datetime | None = None) -> DispatchReport:
    """Plan reminders for upcoming hearings and enqueue those whose time has come.

    Safe to run as often as wanted, by several schedulers at once: a row is queued by a
    conditional update, so two dispatchers cannot both queue it, and the send task claims it
    again anyway. When several reminders of one hearing and channel are due at once (a hearing
    added three days before: the 7-day reminder is late), only the nearest one is sent.
    Only the system dispatches (the scheduler, ``amparo reminders``).
    """
    require(is_system(by))
    now = now or timezone.now()
    report = DispatchReport()
    horizon = timezone.localdate(now) + datetime.timedelta(days=max(offsets(), default=0) + 1)
    upcoming = (
        Hearing.objects.select_related("case", "case__client")
        .filter(
            status=HearingStatus.SCHEDULED, date__gte=timezone.localdate(now), date__lte=horizon
        )
        .exclude(case__status=CaseStatus.CLOSED)
    )
    for hearing in upcoming:
        reminders_sync(hearing=hearing, now=now)
        report.planned_hearings += 1

    max_attempts = int(config()["MAX_ATTEMPTS"])
    due = (
        Reminder.objects.filter(status__in=OPEN_STATES, send_after__lte=now)
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .exclude(status=ReminderStatus.FAILED, attempts__gte=max_attempts)
        .exclude(status=ReminderStatus.FAILED, updated_at__gt=now - RETRY_AFTER)
        .select_related("hearing")
        .order_by("hearing_id", "channel", "offset_days")
    )
    nearest: dict[tuple[int, str], Reminder] = {}
    late: list[Reminder] = []
    for row in due:
        key = (row.hearing_id, row.channel)
        if key in nearest:
            late.append(row)  # a nearer reminder of the same hearing is due: this one is stale
        else:
            nearest[key] = row
    ids: list[int] = []
    with transaction.atomic():
        for row in late:
            report.skipped += Reminder.objects.filter(pk=row.pk, status__in=OPEN_STATES).update(
                status=ReminderStatus.SKIPPED, detail="superseded", updated_at=now
            )
        for row in nearest.values():
            if row.hearing.starts_at() <= now:
                report.skipped += Reminder.objects.filter(pk=row.pk, status__in=OPEN_STATES).update(
                    status=ReminderStatus.SKIPPED, detail="hearing-passed", updated_at=now
                )
                continue
            if Reminder.objects.filter(pk=row.pk, status__in=OPEN_STATES).update(
                status=ReminderStatus.QUEUED, queued_at=now, updated_at=now
            ):
                ids.append(row.pk)

        def enqueue() -> None:
            for reminder_id in ids:
                send_reminder.enqueue(reminder_id=reminder_id)

        transaction.on_commit(enqueue)
    report.queued = len(ids)
    return report


# --- staff notifications -----------------------------------------------------------------------


@task()
def send_notification_email(notification_id: int) -> dict[str, Any]:
    """Email one notification; a second run finds it claimed (or sent) and sends nothing."""
    result = notification_email_send(int(notification_id), by=SYSTEM)
    return {"notification": int(notification_id), "result": result}


def notification_emails_enqueue(rows: list[Notification]) -> None:
    """Queue the email of each row that wants one, once the caller's transaction commits."""
    ids = [row.pk for row in rows if row.email_state == EmailState.PENDING]
    if not ids:
        return

    def enqueue() -> None:
        for notification_id in ids:
            send_notification_email.enqueue(notification_id=notification_id)

    transaction.on_commit(enqueue)


def notification_emails_dispatch(*, by: Actor, now: datetime.datetime | None = None) -> int:
    """Queue again the emails that quiet hours held (now morning) and the failed ones (after a
    pause, up to the reminders' ``MAX_ATTEMPTS``). Returns how many were queued."""
    require(is_system(by))
    now = now or timezone.now()
    max_attempts = int(config()["MAX_ATTEMPTS"])
    due = Notification.objects.filter(
        Q(email_state=EmailState.DEFERRED, email_not_before__lte=now)
        | Q(email_state=EmailState.FAILED, email_attempts__lt=max_attempts)
    )
    ids = list(due.values_list("pk", flat=True))
    with transaction.atomic():
        queued = [
            pk
            for pk in ids
            if Notification.objects.filter(
                pk=pk, email_state__in=(EmailState.DEFERRED, EmailState.FAILED)
            ).update(email_state=EmailState.PENDING, email_not_before=None)
        ]

        def enqueue() -> None:
            for notification_id in queued:
                send_notification_email.enqueue(notification_id=notification_id)

        transaction.on_commit(enqueue)
    return len(queued)


@task()
def notify_referral_reminders() -> dict[str, Any]:
    """Every few minutes: remind providers of referrals past 75% of their answer window, and
    send the emails quiet hours held or a failure stopped."""
    with transaction.atomic():
        rows = events.referral_reminders()
        notification_emails_enqueue(rows)
    return {"reminded": len(rows), "requeued": notification_emails_dispatch(by=SYSTEM)}


@task()
def notify_deadline_digests() -> dict[str, Any]:
    """Once a day: each attorney's overdue deadlines and those due in the next 7 days."""
    with transaction.atomic():
        rows = events.deadline_digests()
        notification_emails_enqueue(rows)
    return {"digests": len(rows)}
