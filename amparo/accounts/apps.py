from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "amparo.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from amparo.core.navigation import NAV_ITEMS, NavItem

        from . import signals  # noqa: F401
        from .roles import Role

        _nav_insert(
            NAV_ITEMS, NavItem(_("People"), "accounts:people", frozenset({Role.FUND_ADMIN}))
        )


def _nav_insert(items: list[Any], item: Any) -> None:
    """Put ``item`` before the "Account" link, once."""
    if any(getattr(i, "url_name", None) == getattr(item, "url_name", None) for i in items):
        return
    names = [getattr(i, "url_name", "") for i in items]
    position = names.index("accounts:settings") if "accounts:settings" in names else len(items)
    items.insert(position, item)
