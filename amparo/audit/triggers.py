"""Database triggers that refuse UPDATE and DELETE on the audit table, per database vendor.

Used by the migration that installs them, by ``flush`` (which must empty the table between
transactional tests) and by the tests that tamper with the table on purpose.
"""

from __future__ import annotations

from typing import Any

from django.db import NotSupportedError

TABLE = "audit_auditevent"

#: Other apps' append-only tables: (drop, install) callables taking a connection. ``flush``
#: lifts and restores them with the audit table's triggers on SQLite (e.g. the ledger's).
APPEND_ONLY_HOOKS: list[tuple[Any, Any]] = []
TRIGGERS = ("audit_auditevent_no_update", "audit_auditevent_no_delete")

_SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END",
    f"CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END",
]
_SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS]

_POSTGRES_INSTALL = [
    "CREATE OR REPLACE FUNCTION amparo_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $body$ "
    "BEGIN RAISE EXCEPTION USING MESSAGE = 'audit events are append-only: ' || TG_OP || ' refused', "
    "ERRCODE = 'restrict_violation'; END $body$",
    f"CREATE OR REPLACE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION amparo_audit_refuse_change()",
    f"CREATE OR REPLACE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION amparo_audit_refuse_change()",
]
_POSTGRES_DROP = [f"DROP TRIGGER IF EXISTS {name} ON {TABLE}" for name in TRIGGERS]
_POSTGRES_DROP_FUNCTION = ["DROP FUNCTION IF EXISTS amparo_audit_refuse_change()"]


def _statements(vendor: str, install: bool) -> list[str]:
    if vendor == "sqlite":
        return _SQLITE_INSTALL if install else _SQLITE_DROP
    if vendor == "postgresql":
        return _POSTGRES_INSTALL if install else _POSTGRES_DROP
    raise NotSupportedError(
        f"append-only audit triggers are written for SQLite and PostgreSQL, not {vendor}"
    )


def _run(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install_triggers(connection: Any) -> None:
    _run(connection, _statements(connection.vendor, install=True))


def drop_triggers(connection: Any, *, drop_function: bool = False) -> None:
    _run(connection, _statements(connection.vendor, install=False))
    if drop_function and connection.vendor == "postgresql":
        _run(connection, _POSTGRES_DROP_FUNCTION)


def triggers_present(connection: Any) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s AND name IN (%s, %s)",
                [TABLE, *TRIGGERS],
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COUNT(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname IN (%s, %s) AND tgenabled <> 'D'",
                [TABLE, *TRIGGERS],
            )
        else:
            return False
        return bool(cursor.fetchone()[0] == len(TRIGGERS))


def table_exists(connection: Any) -> bool:
    return TABLE in connection.introspection.table_names()
