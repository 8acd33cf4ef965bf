"""Planning and sending hearing reminders (queueing them is in ``tasks``).

Settings (all optional), ``settings.AMPARO_REMINDERS``::

    {"OFFSETS_DAYS": (7, 1),      # reminders this many days before each hearing
     "QUIET_HOURS": (21, 8),      # no text message from 21:00 to 08:00 local time: deferred
     "MAX_ATTEMPTS": 3}           # a failed send is retried this many times in all

How a reminder travels:

1. ``reminders_sync(hearing=...)`` (called by the case services whenever a hearing, its case
   or its client's contact preferences change, and by the dispatcher for upcoming hearings)
   creates or updates one row per (hearing, offset, channel) the client agreed to.
2. ``tasks.reminders_dispatch()`` (``amparo reminders``, run every few minutes, or the periodic
   task ``dispatch_reminders``) marks the rows whose time has come as queued and enqueues
   ``send_reminder`` with the row's id, after the transaction commits. It lives beside the tasks
   it enqueues: this module plans and sends, and never imports the task queue.
3. ``reminder_send(reminder_id)`` claims the row in one transaction: it re-checks everything
   and writes ``sending`` (or ``deferred`` in quiet hours, or ``skipped``) before anything
   leaves. Only a row it moved to ``sending`` itself is sent, so a retried or duplicated task
   never sends twice. The result (``sent`` or ``failed``) is written after.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.db import transaction
from django.utils import timezone

from amparo.audit.services import audit_record
from amparo.cases.choices import CaseStatus, HearingStatus
from amparo.core.identity import sender
from amparo.core.services import Actor, is_system, require
from amparo.sms.models import Kind as SmsKind
from amparo.sms.providers import SmsError
from amparo.sms.quiet import in_quiet_hours as in_quiet_hours
from amparo.sms.quiet import quiet_hours_end as quiet_hours_end
from amparo.sms.services import number_opted_out, sms_send_now
from amparo.vault.errors import VaultError
from amparo.vault.normalize import NormalizationError, normalize_phone

from .messages import HearingFacts, hearing_reminder, reminder_language
from .models import OPEN_STATES, Channel, Reminder, ReminderStatus

logger = logging.getLogger("amparo.notify")

DEFAULTS: dict[str, Any] = {"OFFSETS_DAYS": (7, 1), "QUIET_HOURS": (21, 8), "MAX_ATTEMPTS": 3}
#: A failed reminder is tried again after this long.
RETRY_AFTER = datetime.timedelta(minutes=10)


def config() -> dict[str, Any]:
    return {**DEFAULTS, **getattr(settings, "AMPARO_REMINDERS", {})}


def offsets() -> tuple[int, ...]:
    return tuple(sorted({int(d) for d in config()["OFFSETS_DAYS"] if int(d) >= 0}, reverse=True))


# --- quiet hours: the text channel's (amparo.sms.quiet), the same for every text ---------------

# --- planning ----------------------------------------------------------------------------------


def _wanted_channels(client: Any) -> list[str]:
    channels: list[str] = []
    try:
        if client.remind_by_email and client.email:
            channels.append(Channel.EMAIL)
        if client.remind_by_sms and client.phone:
            channels.append(Channel.SMS)
    except VaultError:  # the client was shredded: nothing to send, ever
        return []
    return channels


def reminders_sync(*, hearing: Any, now: datetime.datetime | None = None) -> list[Reminder]:
    """Make the hearing's reminder rows match the hearing, its case and the client's choices.

    Rows already ``sending`` or ``sent`` are never touched. Rows no longer wanted (the hearing
    was cancelled, the case closed, the client opted out) become ``skipped``; wanted ones get
    their time from the hearing's current date and time.
    """
    now = now or timezone.now()
    case = hearing.case
    client = case.client
    starts = hearing.starts_at()
    wanted: dict[tuple[int, str], datetime.datetime] = {}
    if (
        hearing.status == HearingStatus.SCHEDULED
        and case.status != CaseStatus.CLOSED
        and starts > now
    ):
        for channel in _wanted_channels(client):
            for days in offsets():
                wanted[(days, channel)] = starts - datetime.timedelta(days=days)
    language = reminder_language(client.language)
    rows = []
    with transaction.atomic():
        existing = {
            (r.offset_days, r.channel): r
            for r in Reminder.objects.select_for_update().filter(hearing=hearing)
        }
        for key, row in existing.items():
            if row.status in (ReminderStatus.SENDING, ReminderStatus.SENT):
                continue
            if key in wanted:
                row.send_after = wanted[key]
                row.language = language
                if row.status == ReminderStatus.SKIPPED:
                    row.status = ReminderStatus.PENDING
                row.updated_at = now
                row.save(update_fields=["send_after", "language", "status", "updated_at"])
            elif row.status != ReminderStatus.SKIPPED:
                row.status = ReminderStatus.SKIPPED
                row.detail = "no-longer-wanted"
                row.updated_at = now
                row.save(update_fields=["status", "detail", "updated_at"])
            rows.append(row)
        for (days, channel), when in wanted.items():
            if (days, channel) not in existing:
                rows.append(
                    Reminder.objects.create(
                        hearing=hearing,
                        offset_days=days,
                        channel=channel,
                        send_after=when,
                        language=language,
                    )
                )
    return rows


# --- sending -----------------------------------------------------------------------------------


def _facts(reminder: Reminder, now: datetime.datetime) -> HearingFacts:
    hearing = reminder.hearing
    case = hearing.case
    # The days left, counted now: a late reminder must not say "in 7 days" three days before.
    days_left = max(0, (hearing.date - timezone.localdate(now)).days)
    return HearingFacts(
        date=hearing.date,
        time=hearing.time,
        kind=hearing.kind,
        mode=hearing.mode,
        court=case.court,
        organization=case.organization.name,
        phone=case.organization.public_phone,
        days_before=days_left,
    )


def _sms_opted_out(client: Any) -> bool:
    try:
        return number_opted_out(client.phone)
    except VaultError:
        return False


def _claim(reminder_id: int, now: datetime.datetime) -> tuple[Reminder | None, str]:
    """Decide, in one transaction, whether this run sends the reminder; write that decision."""
    with transaction.atomic():
        row = (
            Reminder.objects.select_for_update()
            .select_related("hearing__case__client", "hearing__case__organization")
            .filter(pk=reminder_id)
            .first()
        )
        if row is None:
            return None, "missing"
        if row.status not in (ReminderStatus.QUEUED, *OPEN_STATES):
            return None, f"already-{row.status}"
        hearing = row.hearing
        case = hearing.case

        def skip(detail: str) -> tuple[None, str]:
            row.status = ReminderStatus.SKIPPED
            row.detail = detail
            row.updated_at = now
            row.save(update_fields=["status", "detail", "updated_at"])
            return None, detail

        if hearing.status != HearingStatus.SCHEDULED or case.status == CaseStatus.CLOSED:
            return skip("hearing-not-scheduled")
        if hearing.starts_at() <= now:
            return skip("hearing-passed")
        if row.send_after > now:  # the hearing moved later since it was queued
            row.status = ReminderStatus.PENDING
            row.updated_at = now
            row.save(update_fields=["status", "updated_at"])
            return None, "not-due"
        if row.channel not in _wanted_channels(case.client):
            return skip("opted-out-or-no-contact")
        if row.channel == Channel.SMS and _sms_opted_out(case.client):
            return skip("sms-opted-out")  # the person texted STOP (amparo.sms)
        if row.channel == Channel.SMS and in_quiet_hours(now):
            row.status = ReminderStatus.DEFERRED
            row.not_before = quiet_hours_end(now)
            row.detail = "quiet-hours"
            row.updated_at = now
            row.save(update_fields=["status", "not_before", "detail", "updated_at"])
            return None, "deferred"
        row.status = ReminderStatus.SENDING
        row.attempts += 1
        row.detail = ""
        row.updated_at = now
        row.save(update_fields=["status", "attempts", "detail", "updated_at"])
        return row, "claimed"


def reminder_send(reminder_id: int, *, by: Actor, now: datetime.datetime | None = None) -> str:
    """Send one reminder if, and only if, this call claims it. Returns what happened. Only the
    system sends (the task queued by :func:`reminders_dispatch`)."""
    require(is_system(by))
    now = now or timezone.now()
    row, decision = _claim(reminder_id, now)
    if row is None:
        return decision
    client = row.hearing.case.client
    message = hearing_reminder(_facts(row, now), row.language or client.language, row.channel)
    provider_id = ""
    try:
        if row.channel == Channel.EMAIL:
            provider_id = make_msgid(domain="amparo.invalid")
            email = EmailMessage(
                subject=message["subject"],
                body=message["body"],
                from_email=sender(),
                to=[client.email],
                headers={"Message-ID": provider_id},
            )
            email.send(fail_silently=False)
        else:
            try:
                number = normalize_phone(client.phone)
            except NormalizationError as exc:
                raise SmsError("invalid-number") from exc
            # Through the text channel: logged (encrypted under the client's key), opt-outs
            # honoured, the delivery status recorded by the provider's callback.
            provider_id = sms_send_now(
                phone=number, body=message["body"], kind=SmsKind.REMINDER, subject=client.subject
            ).provider_id[:120]
    except Exception as exc:  # any failure is recorded; nothing personal goes in the record
        code = exc.code if isinstance(exc, SmsError) else type(exc).__name__
        Reminder.objects.filter(pk=row.pk, status=ReminderStatus.SENDING).update(
            status=ReminderStatus.FAILED, detail=code[:120], updated_at=timezone.now()
        )
        logger.warning("reminder %s failed: %s", row.pk, code)
        return "failed"
    with transaction.atomic():
        Reminder.objects.filter(pk=row.pk, status=ReminderStatus.SENDING).update(
            status=ReminderStatus.SENT,
            sent_at=timezone.now(),
            provider_id=provider_id,
            updated_at=timezone.now(),
        )
        # The system read the client's address to send this: that read is on the record too.
        audit_record(
            actor=by,
            action="notify.reminder.sent",
            obj=row,
            fields=["client.email" if row.channel == Channel.EMAIL else "client.phone"],
            reason=f"hearing {row.hearing_id}, {row.offset_days} days before, {row.channel}",
        )
    return "sent"
