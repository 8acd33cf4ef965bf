from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_triggers(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Put the append-only triggers back if a migration rebuilt a table (SQLite rebuilds a
    table to alter it, and a rebuilt table has no triggers)."""
    from django.db import connections

    from .triggers import install_triggers

    connection = connections[using]
    if connection.vendor in ("sqlite", "postgresql"):
        install_triggers(connection)


class LedgerConfig(AppConfig):
    name = "amparo.ledger"
    label = "ledger"
    verbose_name = _("Ledger")

    def ready(self) -> None:
        from amparo.accounts.roles import Role
        from amparo.audit.triggers import APPEND_ONLY_HOOKS
        from amparo.core.navigation import NavItem, nav_register

        from . import permissions  # noqa: F401  (registers the rules)
        from .triggers import drop_triggers, install_triggers

        if (drop_triggers, install_triggers) not in APPEND_ONLY_HOOKS:
            APPEND_ONLY_HOOKS.append((drop_triggers, install_triggers))
        nav_register(
            NavItem(
                _("Books"),
                "ledger:position",
                frozenset({Role.FUND_ADMIN, Role.BOARD_MEMBER}),
                order=80,
            )
        )
        post_migrate.connect(_ensure_triggers, sender=self, dispatch_uid="amparo-ledger-triggers")
