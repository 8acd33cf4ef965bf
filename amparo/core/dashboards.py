"""What each role sees first. Apps register panels; empty states say what comes next.

Each app adds its panels from its ``AppConfig.ready()`` with :func:`dashboard_register`. Panels
are shown in ascending ``order`` (ties by the builder's dotted name), so a dashboard looks the
same whatever order the apps are loaded in. Orders in use: 10 organizations, 20 cases, 30
intake, 40 referrals, 50 donations.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from amparo.accounts.roles import Role

#: Builds one panel for a user (a dict for the template), or None when there is nothing to show.
PanelBuilder = Callable[[Any], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    roles: frozenset[str]
    build: PanelBuilder
    order: int

    @property
    def key(self) -> str:
        return f"{self.build.__module__}.{self.build.__qualname__}"


_panels: dict[str, Panel] = {}
_lock = threading.Lock()


def dashboard_register(roles: frozenset[str], build: PanelBuilder, *, order: int) -> None:
    """Show the panel ``build(user)`` makes on the dashboard of ``roles``. One panel per builder:
    registering it again (``ready()`` may run twice in tests) replaces the earlier one."""
    panel = Panel(frozenset(roles), build, order)
    with _lock:
        _panels[panel.key] = panel


def dashboard_panels() -> list[Panel]:
    """Every registered panel, in the order the dashboard shows them."""
    with _lock:
        panels = list(_panels.values())
    return sorted(panels, key=lambda panel: (panel.order, panel.key))


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
    for registered in dashboard_panels():
        if user.role in registered.roles:
            panel = registered.build(user)
            if panel:
                panels.append(panel)
    next_step = _NEXT_STEPS.get(user.role)
    return {"panels": panels, "next_step": next_step() if next_step else ""}
