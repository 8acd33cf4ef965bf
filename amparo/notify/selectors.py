"""Reads of staff notifications, always the viewer's own."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from amparo.sms.models import SmsMessage

from .models import ROLE_KINDS, Notification, Reminder


def has_notifications(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in ROLE_KINDS)


def notification_list(*, fetched_by: Any) -> QuerySet[Notification]:
    """The viewer's notifications: unread first, then newest first (``unread_last`` is 0 for an
    unread one, 1 for one read, for the page's sorts)."""
    if not has_notifications(fetched_by):
        return Notification.objects.none()
    unread_last = Case(
        When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        Notification.objects.filter(recipient=fetched_by)
        .annotate(unread_last=unread_last)
        .order_by("unread_last", "-created_at", "-pk")
    )


def unread_count(*, fetched_by: Any) -> int:
    """One ``COUNT`` query (the header shows it on every staff page)."""
    if not has_notifications(fetched_by):
        return 0
    return Notification.objects.filter(recipient=fetched_by, read_at__isnull=True).count()


def access_notification(user: Any, notification_id: Any) -> Notification:
    """The viewer's own notification, or 404 (someone else's looks missing)."""
    row = notification_list(fetched_by=user).filter(pk=notification_id).first()
    if row is None:
        raise Http404
    return row


def case_reminders(*, case: Any) -> list[dict[str, Any]]:
    """The hearing reminders of ``case`` for its page, newest hearing first, each with the text
    channel's delivery status (from the provider's callbacks) when it went by text. Nothing
    protected: channel, times, states."""
    reminders = list(
        Reminder.objects.filter(hearing__case=case)
        .select_related("hearing")
        .order_by("-hearing__date", "-offset_days", "channel")
    )
    provider_ids = [r.provider_id for r in reminders if r.channel == "sms" and r.provider_id]
    delivery = {
        m.provider_id: m
        for m in SmsMessage.objects.filter(provider_id__in=provider_ids).only(
            "provider_id", "delivery_status", "error_code", "subject_id"
        )
    }
    return [{"reminder": r, "sms": delivery.get(r.provider_id)} for r in reminders]
