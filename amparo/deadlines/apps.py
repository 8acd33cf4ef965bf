from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "amparo.deadlines"
    label = "deadlines"

    def ready(self) -> None:
        from amparo.accounts.roles import Role
        from amparo.api.api import router_register
        from amparo.core.dashboards import dashboard_register
        from amparo.core.navigation import NavItem, nav_register

        # Feeds are revoked with the account's other credentials (a password reset, ...).
        from . import feeds  # noqa: F401
        from .api import router
        from .case_hooks import register
        from .dashboards import PANELS

        register()
        router_register(router)
        for roles, build in PANELS:
            dashboard_register(roles, build, order=20)
        nav_register(
            NavItem(
                _("Calendar"),
                "deadlines:calendar",
                frozenset({Role.PROVIDER_ADMIN, Role.ATTORNEY}),
                order=41,
            )
        )
