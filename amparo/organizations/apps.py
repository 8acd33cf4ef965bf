from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "amparo.organizations"
    label = "organizations"
    verbose_name = _("Organizations")

    def ready(self) -> None:
        from amparo.accounts.roles import Role
        from amparo.api.api import router_register
        from amparo.core.dashboards import dashboard_register
        from amparo.core.navigation import NavItem, nav_register

        from . import permissions  # noqa: F401  (registers the rules)
        from .api import router
        from .dashboards import PANELS

        router_register(router)
        for roles, build in PANELS:
            dashboard_register(roles, build, order=10)
        nav_register(
            NavItem(
                _("My profile"),
                "organizations:own-profile",
                frozenset({Role.PROVIDER_ADMIN, Role.ATTORNEY}),
                order=31,
            )
        )
        nav_register(
            NavItem(
                _("Invitations"),
                "organizations:invitations",
                frozenset({Role.PROVIDER_ADMIN, Role.ATTORNEY}),
                order=13,
            )
        )
