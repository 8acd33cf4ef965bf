from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "amparo.grants"
    label = "grants"
    verbose_name = _("Grants")

    def ready(self) -> None:
        from amparo.accounts.roles import Role
        from amparo.api.api import api
        from amparo.core.navigation import NAV_ITEMS, NavItem
        from amparo.donations.selectors import GRANT_ROW_PROVIDERS

        from .api import router
        from .selectors import public_grant_rows

        if not getattr(router, "amparo_mounted", False):
            api.add_router("/grants/", router)
            router.amparo_mounted = True  # type: ignore[attr-defined]
        if public_grant_rows not in GRANT_ROW_PROVIDERS:
            GRANT_ROW_PROVIDERS.append(public_grant_rows)
        item = NavItem(
            _("Grants"),
            "grants:rounds",
            frozenset({Role.FUND_ADMIN, Role.BOARD_MEMBER, Role.PROVIDER_ADMIN}),
        )
        _nav_insert(NAV_ITEMS, item)


def _nav_insert(items: list[Any], item: Any) -> None:
    if any(getattr(i, "url_name", None) == item.url_name for i in items):
        return
    names = [getattr(i, "url_name", "") for i in items]
    position = names.index("accounts:settings") if "accounts:settings" in names else len(items)
    items.insert(position, item)
