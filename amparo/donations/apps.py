from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "amparo.donations"
    label = "donations"
    verbose_name = _("Donations")

    def ready(self) -> None:
        from amparo.accounts.roles import Role
        from amparo.core.navigation import NAV_ITEMS, NavItem

        from . import permissions  # noqa: F401  (registers the rules)

        item = NavItem(_("Donations"), "donations:list", frozenset({Role.FUND_ADMIN, Role.DONOR}))
        if not any(i.url_name == item.url_name for i in NAV_ITEMS):
            names = [i.url_name for i in NAV_ITEMS]
            position = (
                names.index("accounts:settings") if "accounts:settings" in names else len(NAV_ITEMS)
            )
            NAV_ITEMS.insert(position, item)
