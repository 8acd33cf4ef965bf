"""Reads of the audit log, scoped to the viewer: fund administrators see it, nobody else does."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from amparo.accounts.models import User

from .models import AuditEvent
from .permissions import can_view_audit_log

SYSTEM = "system"


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_event_list(
    *,
    fetched_by: Any,
    actor: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """Events matching the filters, newest first. ``actor`` is a user id, ``"system"`` or empty;
    dates are whole days in the fund's time zone, both ends included."""
    if not can_view_audit_log(fetched_by):
        return AuditEvent.objects.none()
    return audit_events_filtered(
        AuditEvent.objects.all(),
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        date_from=date_from,
        date_to=date_to,
    ).order_by("-seq")


def audit_events_filtered(
    events: QuerySet[AuditEvent],
    *,
    actor: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """``events`` narrowed by the audit log's filters (see :func:`audit_event_list`)."""
    if actor == SYSTEM:
        events = events.filter(actor_id__isnull=True)
    elif actor:
        events = events.filter(actor_id=int(actor))
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if date_from:
        events = events.filter(created_at__gte=_start_of(date_from))
    if date_to:
        events = events.filter(created_at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    return events


def actor_labels(actor_ids: set[int]) -> dict[int, str]:
    """Email addresses of the staff behind ``actor_ids`` (events keep ids, not names)."""
    return dict(User.objects.filter(pk__in=actor_ids).values_list("pk", "email"))
