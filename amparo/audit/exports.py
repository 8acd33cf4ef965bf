"""Bulk exports of protected records: re-authentication over a threshold, and a flag.

A bulk export is how protected records leave in quantity, so it is the moment to check that the
person at the keyboard is the account holder: an export of more than
``AMPARO["EXPORT_REAUTH_THRESHOLD"]`` protected records within an hour asks the user to confirm
their password again (allauth's own re-authentication) and is flagged in the audit log. Each export that goes ahead is remembered
as an :class:`~amparo.audit.models.ExportRecord` (a count, never values).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.reauthentication import (
    did_recently_reauthenticate,
    suspend_request,
)
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ExportRecord
from .services import audit_record

WINDOW = timedelta(hours=1)


def export_threshold() -> int:
    amparo: dict[str, Any] = settings.AMPARO
    return int(amparo.get("EXPORT_REAUTH_THRESHOLD", 200))


def exported_recently(*, user_id: int) -> int:
    """Protected records ``user_id`` exported within the last hour."""
    since = timezone.now() - WINDOW
    total = ExportRecord.objects.filter(user_id=user_id, at__gt=since).aggregate(n=Sum("count"))
    return int(total["n"] or 0)


def export_guard(request: HttpRequest, *, kind: str, count: int) -> HttpResponse | None:
    """Call before streaming an export of ``count`` protected records of ``kind``.

    Returns ``None`` when the export may go ahead (and records it), or a redirect to
    re-authenticate (recording nothing but an ``export.reauthentication_required`` event).
    Guarantees: the user's exports are counted under a lock on their user row, so two exports
    at once cannot both slip under the threshold; an export that goes over the threshold after a
    recent re-authentication is recorded with an ``export.flagged`` event; audit events carry
    the kind and counts, never a value.
    """
    user: Any = request.user  # signed in: the export views are login_required
    user_id = int(user.pk)
    count = max(int(count), 0)
    threshold = export_threshold()
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user_id).exists()
        total = exported_recently(user_id=user_id) + count
        over = total > threshold
        reason = f"kind={kind}; records={count}; last hour={total}; threshold={threshold}"
        if over and not did_recently_reauthenticate(request):
            methods = get_adapter().get_reauthentication_methods(user)
            if not methods:  # nothing to re-authenticate with: the export cannot go ahead
                raise PermissionDenied
            audit_record(
                actor=user,
                action="export.reauthentication_required",
                object_type=kind,
                reason=reason,
            )
            messages.info(
                request,
                _(
                    "This export would take you past %(threshold)s protected records in an hour. "
                    "Please confirm it is you to continue."
                )
                % {"threshold": threshold},
            )
            response: HttpResponse = suspend_request(request, methods[0]["url"])
            return response
        if over:
            audit_record(actor=user, action="export.flagged", object_type=kind, reason=reason)
        ExportRecord.objects.create(user_id=user_id, kind=kind, count=count)
    return None
