from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "amparo.grants"
    label = "grants"
    verbose_name = _("Grants")

    def ready(self) -> None:
        from amparo.accounts.roles import Role
        from amparo.api.api import router_register
        from amparo.core.navigation import NavItem, nav_register
        from amparo.donations.selectors import GRANT_ROW_PROVIDERS

        from .api import router
        from .selectors import public_grant_rows

        router_register(router, prefix="/grants/")
        if public_grant_rows not in GRANT_ROW_PROVIDERS:
            GRANT_ROW_PROVIDERS.append(public_grant_rows)
        nav_register(
            NavItem(
                _("Grants"),
                "grants:rounds",
                frozenset({Role.FUND_ADMIN, Role.BOARD_MEMBER, Role.PROVIDER_ADMIN}),
                order=100,
            )
        )
