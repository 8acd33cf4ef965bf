from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "amparo.intake"
    label = "intake"
    verbose_name = _("Intake")

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
        staff = frozenset({Role.FUND_ADMIN, Role.INTAKE_WORKER})
        _nav_insert(NAV_ITEMS, NavItem(_("Help requests"), "intake:queue", staff))
        _nav_insert(
            NAV_ITEMS, NavItem(_("Eligibility"), "intake:policies", frozenset({Role.FUND_ADMIN}))
        )
