from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "amparo.organizations"
    label = "organizations"
    verbose_name = _("Organizations")

    def ready(self) -> None:
        from amparo.core.dashboards import PANELS

        from . import api, permissions  # noqa: F401  (registers rules and API endpoints)
        from .dashboards import PANELS as OUR_PANELS

        for panel in OUR_PANELS:
            if panel not in PANELS:
                PANELS.append(panel)

        from amparo.accounts.apps import _nav_insert
        from amparo.accounts.roles import Role
        from amparo.core.navigation import NAV_ITEMS, NavItem

        _nav_insert(
            NAV_ITEMS,
            NavItem(_("My profile"), "organizations:own-profile", frozenset({Role.ATTORNEY})),
        )
