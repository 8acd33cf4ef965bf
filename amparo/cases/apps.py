from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "amparo.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from amparo.accounts.roles import Role
        from amparo.api.api import router_register
        from amparo.core.navigation import NavItem, nav_register

        from . import permissions  # noqa: F401  (registers the rules)
        from .api import router

        router_register(router, prefix="/cases/")
        nav_register(
            NavItem(
                _("Cases"),
                "cases:list",
                frozenset({Role.FUND_ADMIN, Role.PROVIDER_ADMIN, Role.ATTORNEY}),
                order=40,
            )
        )
