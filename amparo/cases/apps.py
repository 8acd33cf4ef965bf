from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "amparo.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from amparo.accounts.roles import Role
        from amparo.api.api import api
        from amparo.core.dashboards import PANELS
        from amparo.core.navigation import NAV_ITEMS, NavItem

        from . import permissions  # noqa: F401  (registers the rules)
        from .api import router
        from .dashboards import PANELS as OUR_PANELS

        if not getattr(router, "amparo_mounted", False):
            api.add_router("/cases/", router)
            router.amparo_mounted = True  # type: ignore[attr-defined]
        for panel in OUR_PANELS:
            if panel not in PANELS:
                PANELS.append(panel)
        for item in (
            NavItem(
                _("Cases"),
                "cases:list",
                frozenset({Role.FUND_ADMIN, Role.PROVIDER_ADMIN, Role.ATTORNEY}),
            ),
            NavItem(
                _("Deadlines"), "deadlines:agenda", frozenset({Role.PROVIDER_ADMIN, Role.ATTORNEY})
            ),
        ):
            _nav_insert(NAV_ITEMS, item)


def _nav_insert(items: list[Any], item: object) -> None:
    """Put ``item`` before the "Account" link, once (the navigation's last item)."""
    if any(getattr(i, "url_name", None) == getattr(item, "url_name", None) for i in items):
        return
    names = [getattr(i, "url_name", "") for i in items]
    position = names.index("accounts:settings") if "accounts:settings" in names else len(items)
    items.insert(position, item)
