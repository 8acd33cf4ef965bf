from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "amparo.reports"
    verbose_name = _("Impact and reports")

    def ready(self) -> None:
        from amparo.accounts.roles import Role
        from amparo.core.navigation import NavItem, nav_register

        nav_register(
            NavItem(
                _("Impact dashboard"), "reports:dashboard", frozenset({Role.FUND_ADMIN}), order=21
            )
        )
        nav_register(
            NavItem(
                _("Impact: board report"),
                "reports:board",
                frozenset({Role.BOARD_MEMBER}),
                order=22,
            )
        )
