"""What each role sees first. Later apps register panels; empty states say what comes next."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from amparo.accounts.roles import Role

#: (roles, function(user) -> panel dict). Apps append in AppConfig.ready().
PANELS: list[tuple[frozenset[str], Callable[[Any], dict[str, Any] | None]]] = []

_NEXT_STEPS = {
    Role.FUND_ADMIN: lambda: _("Set up your programs and invite provider organizations."),
    Role.BOARD_MEMBER: lambda: _(
        "Grant applications to review will appear here when a round opens."
    ),
    Role.INTAKE_WORKER: lambda: _("Help requests will appear here as people ask for help."),
    Role.PROVIDER_ADMIN: lambda: _(
        "Referrals to your organization will appear here. Invite your staff to get started."
    ),
    Role.ATTORNEY: lambda: _(
        "Your cases, hearings and deadlines will appear here once cases are assigned to you."
    ),
    Role.DONOR: lambda: _("Your gifts and receipts will appear here."),
}


def dashboard_context(user: Any) -> dict[str, Any]:
    panels = []
    for roles, build in PANELS:
        if user.role in roles:
            panel = build(user)
            if panel:
                panels.append(panel)
    next_step = _NEXT_STEPS.get(user.role)
    return {"panels": panels, "next_step": next_step() if next_step else ""}
