from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "amparo.rights"
    label = "rights"
    verbose_name = _("Know your rights")

    def ready(self) -> None:
        from amparo.accounts.roles import Role
        from amparo.core.navigation import NavItem, nav_register

        from . import permissions  # noqa: F401  (registers the rules)

        nav_register(
            NavItem(_("Rights pages"), "rights:manage", frozenset({Role.FUND_ADMIN}), order=70)
        )
