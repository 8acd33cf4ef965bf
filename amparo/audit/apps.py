from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_triggers(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Put the append-only triggers back if a migration rebuilt the table (SQLite rebuilds a
    table to alter it, and a rebuilt table has no triggers)."""
    from django.db import connections

    from .triggers import install_triggers, table_exists

    connection = connections[using]
    if connection.vendor in ("sqlite", "postgresql") and table_exists(connection):
        install_triggers(connection)


class AuditConfig(AppConfig):
    name = "amparo.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from amparo.accounts.roles import Role
        from amparo.core.navigation import NavItem, nav_register

        from . import permissions  # noqa: F401  (registers the audit.view_log rule)

        nav_register(NavItem(_("Audit log"), "audit:list", frozenset({Role.FUND_ADMIN}), order=110))
        post_migrate.connect(_ensure_triggers, sender=self, dispatch_uid="amparo-audit-triggers")
