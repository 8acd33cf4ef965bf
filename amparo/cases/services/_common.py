"""Checks and small steps shared by the case services (not part of their public surface)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.accounts.roles import PROVIDER_ROLES
from amparo.core.services import ServiceError
from amparo.notify.services import reminders_sync
from amparo.organizations.models import Membership, ProviderOrganization

from ..choices import CaseStatus
from ..models import Case, Hearing

EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2199, 12, 31)


def is_active_member(user: User, organization: ProviderOrganization) -> bool:
    return (
        user.is_active
        and user.role in PROVIDER_ROLES
        and Membership.objects.active().filter(user=user, organization=organization).exists()
    )


def check_choice(errors: dict[str, Any], field: str, value: str, allowed: Any) -> None:
    if value not in allowed:
        errors[field] = _("Choose a value from the list.")


def check_choices(errors: dict[str, Any], data: dict[str, Any], allowed: dict[str, Any]) -> None:
    """:func:`check_choice` for each field of ``allowed`` that ``data`` holds."""
    for field, values in allowed.items():
        if field in data:
            check_choice(errors, field, data[field], values)


def check_date(
    errors: dict[str, Any], field: str, value: Any, *, not_after_today: bool = False
) -> None:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        errors[field] = _("Enter a real date, for example 2026-06-04.")
    elif not EARLIEST_DATE <= value <= LATEST_DATE:
        errors[field] = _("Enter a date between 1900 and 2199.")
    elif not_after_today and value > timezone.localdate():
        errors[field] = _("The date cannot be in the future.")


def refuse_closed(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise ServiceError(_("The case is closed. Reopen it first."))


def touch(case: Case) -> None:
    case.updated_at = timezone.now()
    case.save(update_fields=["updated_at"])


def sync_reminders(hearing: Hearing) -> None:
    reminders_sync(hearing=hearing)
