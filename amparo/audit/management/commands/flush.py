"""Django's ``flush``, able to empty the append-only audit table.

On SQLite ``flush`` empties tables with DELETE, which the audit table's trigger refuses; the
test runner flushes after every transactional test. This command lifts the triggers for the
flush only, inside one transaction, and puts them back. (PostgreSQL flushes with TRUNCATE,
which row triggers do not see.) Emptying a whole database is not tampering the chain can hide:
``amparo audit verify`` on an empty table reports zero events.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections, transaction

from amparo.audit.triggers import (
    APPEND_ONLY_HOOKS,
    drop_triggers,
    install_triggers,
    table_exists,
)


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        database = options["database"]
        connection = connections[database]
        if connection.vendor != "sqlite" or not table_exists(connection):
            super().handle(**options)
            return
        with transaction.atomic(using=database):
            drop_triggers(connection)
            for drop, _install in APPEND_ONLY_HOOKS:
                drop(connection)
            super().handle(**options)
            install_triggers(connection)
            for _drop, install in APPEND_ONLY_HOOKS:
                install(connection)
