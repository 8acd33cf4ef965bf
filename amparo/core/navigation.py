"""Navigation per role: a role sees links only to what it may open.

Each app adds its links from its ``AppConfig.ready()`` with :func:`nav_register`; nothing else
edits the list. Links are shown in ascending ``order`` (ties by URL name), so the menu is the
same whatever order the apps are installed or loaded in. The orders in use, so a new link can
find its place: 0 dashboard, 10 organizations, 20 funder reports, 30 people and profiles,
40 cases and deadlines, 50 intake, 60 referrals, 70 rights pages, 80 books, 90 donations,
100 grants, 110 audit log, 1000 the account settings (always last).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from amparo.accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    roles: frozenset[str]
    #: Where the link sits in the menu: lower comes first (see the module docstring).
    order: int = 500


_items: dict[str, NavItem] = {}
_lock = threading.Lock()


def nav_register(item: NavItem) -> None:
    """Show ``item`` in the menu of its roles. One link per URL name: registering the same URL
    name again (``ready()`` may run twice in tests) replaces the earlier item."""
    with _lock:
        _items[item.url_name] = item


def nav_items() -> list[NavItem]:
    """Every registered link, in menu order."""
    with _lock:
        items = list(_items.values())
    return sorted(items, key=lambda item: (item.order, item.url_name))


for _item in (
    NavItem(_("Dashboard"), "core:dashboard", frozenset(Role.values), order=0),
    NavItem(
        _("Organizations"),
        "organizations:list",
        frozenset({Role.FUND_ADMIN, Role.INTAKE_WORKER, Role.BOARD_MEMBER}),
        order=10,
    ),
    NavItem(
        _("My organization"),
        "organizations:mine",
        frozenset({Role.PROVIDER_ADMIN, Role.ATTORNEY}),
        order=11,
    ),
    NavItem(_("Programs"), "organizations:programs", frozenset({Role.FUND_ADMIN}), order=12),
    NavItem(
        _("Funder reports"),
        "reports:funder",
        frozenset({Role.FUND_ADMIN, Role.BOARD_MEMBER, Role.PROVIDER_ADMIN}),
        order=20,
    ),
    NavItem(_("Account"), "accounts:settings", frozenset(Role.values), order=1000),
):
    nav_register(_item)


def navigation_for(user: Any) -> list[dict[str, str]]:
    if user is None or not user.is_authenticated:
        return []
    items = []
    for item in nav_items():
        if user.role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": str(item.label), "url": url, "url_name": item.url_name})
    return items
