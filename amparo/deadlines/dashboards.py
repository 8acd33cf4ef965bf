"""Dashboard panels of cases and deadlines, registered in ``DeadlinesConfig.ready()``.

Each role's panel shows its cases and their deadlines together, so it lives in deadlines, the
app that sees both (deadlines sits above cases; cases never imports deadlines).

- attorneys: their own deadlines overdue and due in the next 7 days, and their next hearings;
- provider admins: the organization's deadlines overdue and due in the next 7 days, per
  attorney;
- fund admins: counts only (cases by status; overdue and due-soon deadlines per organization).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.roles import Role
from amparo.cases.choices import CaseStatus, HearingStatus
from amparo.cases.models import Case, Hearing
from amparo.cases.selectors import my_cases

from .selectors import agenda_for, overdue_counts_by_organization


def attorney_panel(user: Any) -> dict[str, Any] | None:
    plan = agenda_for(user=user)
    today = timezone.localdate()
    hearings = list(
        Hearing.objects.filter(
            case__in=my_cases(fetched_by=user).values("pk"),
            status=HearingStatus.SCHEDULED,
            date__gte=today,
            date__lte=today + datetime.timedelta(days=14),
        )
        .select_related("case")
        .order_by("date", "time")[:10]
    )
    return {
        "title": _("My deadlines and hearings"),
        "template": "deadlines/panels/attorney.html",
        "agenda": plan,
        "hearings": hearings,
    }


def provider_admin_panel(user: Any) -> dict[str, Any] | None:
    plan = agenda_for(user=user)
    if not plan.organizations:
        return None
    return {
        "title": _("Deadlines across the organization"),
        "template": "deadlines/panels/provider_admin.html",
        "agenda": plan,
    }


def fund_admin_panel(user: Any) -> dict[str, Any] | None:
    by_status = dict(
        Case.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {
        "title": _("Cases across the fund"),
        "template": "deadlines/panels/fund_admin.html",
        "by_status": [(label, by_status.get(value, 0)) for value, label in CaseStatus.choices],
        "deadlines": overdue_counts_by_organization(),
    }


PANELS = [
    (frozenset({Role.ATTORNEY}), attorney_panel),
    (frozenset({Role.PROVIDER_ADMIN}), provider_admin_panel),
    (frozenset({Role.FUND_ADMIN}), fund_admin_panel),
]
