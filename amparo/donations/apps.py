from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "amparo.donations"
    label = "donations"
    verbose_name = _("Donations")

    def ready(self) -> None:
        from amparo.accounts.events import donor_invited
        from amparo.accounts.roles import Role
        from amparo.core.dashboards import dashboard_register
        from amparo.core.navigation import NavItem, nav_register

        from . import permissions  # noqa: F401  (registers the rules)
        from .dashboards import donor_panel
        from .donor_accounts import on_donor_invited

        donor_invited.connect(on_donor_invited, dispatch_uid="donations.donor_invited")

        dashboard_register(frozenset({Role.DONOR}), donor_panel, order=50)
        nav_register(
            NavItem(
                _("Donations"),
                "donations:list",
                frozenset({Role.FUND_ADMIN, Role.DONOR}),
                order=90,
            )
        )
        # Fund admins reach it from Donations; the board, which has no Donations, from here.
        nav_register(
            NavItem(
                _("Public money"),
                "donations:appropriations",
                frozenset({Role.BOARD_MEMBER}),
                order=91,
            )
        )
