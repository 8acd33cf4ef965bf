from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "amparo.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from amparo.accounts.apps import _nav_insert
        from amparo.accounts.roles import Role
        from amparo.core.dashboards import PANELS
        from amparo.core.navigation import NAV_ITEMS, NavItem

        from . import api, permissions  # noqa: F401  (registers rules and API endpoints)
        from .dashboards import PANELS as OUR_PANELS

        for panel in OUR_PANELS:
            if panel not in PANELS:
                PANELS.append(panel)
        _nav_insert(
            NAV_ITEMS,
            NavItem(
                _("Escalations"),
                "referrals:escalations",
                frozenset({Role.FUND_ADMIN, Role.INTAKE_WORKER}),
            ),
        )
        _nav_insert(
            NAV_ITEMS, NavItem(_("Referrals"), "referrals:inbox", frozenset({Role.PROVIDER_ADMIN}))
        )
