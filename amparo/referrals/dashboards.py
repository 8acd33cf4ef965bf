"""Dashboard panels of referrals, registered in AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.roles import Role

from .models import ReferralStatus
from .selectors import provider_organizations, referral_list


def provider_panel(user: Any) -> dict[str, Any] | None:
    """Referrals waiting for the organization's answer, and the next one due."""
    if not provider_organizations(fetched_by=user).exists():
        return None
    pending = referral_list(fetched_by=user).filter(
        organization__in=provider_organizations(fetched_by=user), status=ReferralStatus.PENDING
    )
    next_due = pending.order_by("due_at").values_list("due_at", flat=True).first()
    return {
        "title": _("Referrals waiting for your answer"),
        "template": "referrals/panels/provider.html",
        "pending": pending.count(),
        "overdue": pending.filter(due_at__lte=timezone.now()).count(),
        "next_due": next_due,
    }


PANELS: list[tuple[frozenset[str], Callable[[Any], dict[str, Any] | None]]] = [
    (frozenset({Role.PROVIDER_ADMIN}), provider_panel),
]
