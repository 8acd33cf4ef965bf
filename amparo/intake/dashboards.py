"""Dashboard panels of intake, registered in AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from amparo.accounts.roles import Role

from .models import PovertyGuideline
from .permissions import can_manage_intake_policy, can_work_intake
from .selectors import queue_counts


def intake_panel(user: Any) -> dict[str, Any] | None:
    """The queue at a glance, for intake workers and fund administrators."""
    if not can_work_intake(user):
        return None
    return {
        "title": _("Help requests"),
        "template": "intake/panels/intake.html",
        "counts": queue_counts(fetched_by=user),
        "unverified_tables": PovertyGuideline.objects.filter(verified=False).count()
        if can_manage_intake_policy(user)
        else 0,
    }


PANELS: list[tuple[frozenset[str], Callable[[Any], dict[str, Any] | None]]] = [
    (frozenset({Role.FUND_ADMIN, Role.INTAKE_WORKER}), intake_panel),
]
