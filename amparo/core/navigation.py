"""Navigation per role: a role sees links only to what it may open."""

from __future__ import annotations

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


#: Later apps append their items here (in their AppConfig.ready) rather than editing templates.
NAV_ITEMS: list[NavItem] = [
    NavItem(_("Dashboard"), "core:dashboard", frozenset(Role.values)),
    NavItem(
        _("Organizations"),
        "organizations:list",
        frozenset({Role.FUND_ADMIN, Role.INTAKE_WORKER, Role.BOARD_MEMBER}),
    ),
    NavItem(
        _("My organization"), "organizations:mine", frozenset({Role.PROVIDER_ADMIN, Role.ATTORNEY})
    ),
    NavItem(_("Programs"), "organizations:programs", frozenset({Role.FUND_ADMIN})),
    NavItem(
        _("Funder reports"),
        "reports:funder",
        frozenset({Role.FUND_ADMIN, Role.BOARD_MEMBER, Role.PROVIDER_ADMIN}),
    ),
    NavItem(_("Account"), "accounts:settings", frozenset(Role.values)),
]


def navigation_for(user: Any) -> list[dict[str, str]]:
    if user is None or not user.is_authenticated:
        return []
    items = []
    for item in NAV_ITEMS:
        if user.role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": str(item.label), "url": url, "url_name": item.url_name})
    return items
