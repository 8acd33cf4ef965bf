from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "amparo.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from amparo.core.navigation import NavItem, nav_register

        from . import signals  # noqa: F401
        from .roles import Role

        nav_register(
            NavItem(_("People"), "accounts:people", frozenset({Role.FUND_ADMIN}), order=30)
        )
