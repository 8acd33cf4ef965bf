"""Staff notifications: who is told what, their email choices, and sending the email once.

How a notification travels:

1. An event (a referral sent, a case assigned, the daily digest...) calls
   :func:`notifications_create` inside its own transaction (``events`` builds the rows, the
   hooks in ``triggers`` call it). One row per recipient and occasion: the unique key makes a
   second row for the same event impossible. The row is in the app at once.
2. After the commit, ``tasks`` enqueues ``send_notification_email`` with the row's id.
3. :func:`notification_email_send` claims the row in one transaction (``pending`` to
   ``sending``) before anything leaves, so a retried or duplicated task sends nothing; in quiet
   hours a non-urgent email is ``deferred`` until morning (the sweep sends it then). The email
   goes out in the recipient's language from the fund's address, with a reference, one
   sentence and a link: nothing protected.

Email is on by default for every kind; each user turns it off per kind, except for the urgent
detained-referral email (:data:`~.models.ALWAYS_EMAILED`). The app list is always kept.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from amparo.accounts.models import User
from amparo.audit.services import audit_record
from amparo.core.identity import sender
from amparo.core.services import Actor, is_system, require

from .models import (
    ALWAYS_EMAILED,
    ROLE_KINDS,
    URGENT,
    EmailState,
    Notification,
    NotificationPreference,
)
from .notices import notification_email
from .services import in_quiet_hours, quiet_hours_end

logger = logging.getLogger("amparo.notify")

# --- preferences -------------------------------------------------------------------------------


def kinds_for(user: User) -> tuple[str, ...]:
    return ROLE_KINDS.get(user.role, ())


def email_choices(user: User) -> dict[str, bool]:
    """Whether ``user`` gets each of their kinds by email (default: yes; urgent: always)."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {
        kind: True if kind in ALWAYS_EMAILED else stored.get(kind, True) for kind in kinds_for(user)
    }


def email_wanted(user: User, kind: str) -> bool:
    if kind in ALWAYS_EMAILED:
        return True
    choice = NotificationPreference.objects.filter(user=user, kind=kind).values_list(
        "email", flat=True
    )
    return bool(next(iter(choice), True))


def notification_preferences_update(
    *, user: User, choices: Mapping[str, bool], by: User
) -> list[str]:
    """Save ``user``'s email choice per kind; returns the kinds whose choice changed.

    Only the user chooses for themselves. A kind that is always emailed stays on whatever is
    asked; kinds the user's role never receives are ignored. Audited (the kinds, not values).
    """
    require(by.pk == user.pk)
    current = email_choices(user)
    changed = [
        kind
        for kind, wanted in choices.items()
        if kind in current and kind not in ALWAYS_EMAILED and current[kind] != bool(wanted)
    ]
    if not changed:
        return []
    with transaction.atomic():
        for kind in changed:
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"email": bool(choices[kind])}
            )
        audit_record(
            actor=by,
            action="notify.preferences.updated",
            obj=user,
            fields=[f"email.{kind}" for kind in changed],
        )
    return changed


# --- creating ----------------------------------------------------------------------------------


def notifications_create(
    *,
    recipients: Iterable[User],
    kind: str,
    subject: str,
    occasion: str = "",
    reference: str = "",
    url: str,
    params: dict[str, Any] | None = None,
    now: datetime.datetime | None = None,
) -> list[Notification]:
    """One notification per active recipient for this occasion, in the caller's transaction.

    Returns only the rows this call created: an occasion already notified (the event ran twice)
    creates nothing, so it is emailed once. The email state starts ``off`` when the recipient
    turned this kind's email off or has no address, ``pending`` otherwise.
    """
    now = now or timezone.now()
    created = []
    for user in {u.pk: u for u in recipients if u.is_active}.values():
        wanted = bool(user.email) and email_wanted(user, kind)
        try:
            with transaction.atomic():
                row, made = Notification.objects.get_or_create(
                    recipient=user,
                    kind=kind,
                    subject=subject,
                    occasion=occasion,
                    defaults={
                        "reference": reference,
                        "url": url,
                        "params": params or {},
                        "created_at": now,
                        "email_state": EmailState.PENDING if wanted else EmailState.OFF,
                    },
                )
        except IntegrityError:  # a concurrent run made it first
            continue
        if made:
            created.append(row)
    return created


# --- sending -----------------------------------------------------------------------------------


def _claim(notification_id: int, now: datetime.datetime) -> tuple[Notification | None, str]:
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if row is None:
            return None, "missing"
        if row.email_state in (EmailState.SENT, EmailState.SENDING):
            return None, "already-sent"
        if row.email_state == EmailState.OFF:
            return None, "off"
        if not row.recipient.is_active or not email_wanted(row.recipient, row.kind):
            row.email_state = EmailState.OFF
            row.save(update_fields=["email_state"])
            return None, "off"
        if row.email_not_before is not None and row.email_not_before > now:
            return None, "not-due"
        if row.kind not in URGENT and in_quiet_hours(now):
            row.email_state = EmailState.DEFERRED
            row.email_not_before = quiet_hours_end(now)
            row.save(update_fields=["email_state", "email_not_before"])
            return None, "deferred"
        row.email_state = EmailState.SENDING
        row.email_attempts += 1
        row.email_detail = ""
        row.save(update_fields=["email_state", "email_attempts", "email_detail"])
        return row, "claimed"


def notification_email_send(
    notification_id: int, *, by: Actor, now: datetime.datetime | None = None
) -> str:
    """Email one notification if, and only if, this call claims it; returns what happened
    (``sent``, ``already-sent``, ``deferred``, ``off``, ``not-due``, ``failed``, ``missing``).
    Only the system sends (the task)."""
    require(is_system(by))
    now = now or timezone.now()
    row, decision = _claim(notification_id, now)
    if row is None:
        return decision
    user = row.recipient
    message = notification_email(row, user.preferred_language)
    try:
        EmailMessage(
            subject=message["subject"],
            body=message["body"],
            from_email=sender(),
            to=[user.email],
        ).send(fail_silently=False)
    except Exception as exc:  # recorded without the address or the text
        Notification.objects.filter(pk=row.pk, email_state=EmailState.SENDING).update(
            email_state=EmailState.FAILED, email_detail=type(exc).__name__[:120]
        )
        logger.warning("notification %s email failed: %s", row.pk, type(exc).__name__)
        return "failed"
    Notification.objects.filter(pk=row.pk, email_state=EmailState.SENDING).update(
        email_state=EmailState.SENT, emailed_at=timezone.now()
    )
    return "sent"


# --- reading -----------------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    """Mark one of ``by``'s notifications read (again: nothing changes)."""
    require(notification.recipient_id == by.pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, by: User) -> int:
    """Mark every unread notification of ``by`` read; returns how many."""
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(
        read_at=timezone.now()
    )
