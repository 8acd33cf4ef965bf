from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "amparo.rights"
    label = "rights"
    verbose_name = _("Know your rights")

    def ready(self) -> None:
        from amparo.accounts.apps import _nav_insert
        from amparo.accounts.roles import Role
        from amparo.core.navigation import NAV_ITEMS, NavItem

        from . import permissions  # noqa: F401  (registers the rules)

        _nav_insert(
            NAV_ITEMS, NavItem(_("Rights pages"), "rights:manage", frozenset({Role.FUND_ADMIN}))
        )
