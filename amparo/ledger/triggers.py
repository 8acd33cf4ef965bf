"""Database triggers that refuse UPDATE and DELETE on journal entries and postings.

The same mechanism as ``amparo.audit.triggers``: installed by a migration, put back after a
migration that rebuilt a table (``apps.py``), and lifted only by ``flush`` on SQLite (through
``amparo.audit.triggers.APPEND_ONLY_HOOKS``), which must empty every table between
transactional tests. PostgreSQL flushes with TRUNCATE, which row triggers do not see.
"""

from __future__ import annotations

from typing import Any

from django.db import NotSupportedError

TABLES = ("ledger_journalentry", "ledger_posting")
FUNCTION = "amparo_ledger_refuse_change"


def _names(table: str) -> tuple[str, str]:
    return f"{table}_no_update", f"{table}_no_delete"


TRIGGERS = tuple(name for table in TABLES for name in _names(table))


def _sqlite_install() -> list[str]:
    statements = []
    for table in TABLES:
        no_update, no_delete = _names(table)
        statements += [
            f"CREATE TRIGGER IF NOT EXISTS {no_update} BEFORE UPDATE ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: UPDATE refused'); END",
            f"CREATE TRIGGER IF NOT EXISTS {no_delete} BEFORE DELETE ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: DELETE refused'); END",
        ]
    return statements


def _postgres_install() -> list[str]:
    statements = [
        f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $body$ "
        "BEGIN RAISE EXCEPTION USING MESSAGE = 'the ledger is append-only: ' || TG_OP || ' refused', "
        "ERRCODE = 'restrict_violation'; END $body$"
    ]
    for table in TABLES:
        no_update, no_delete = _names(table)
        statements += [
            f"CREATE OR REPLACE TRIGGER {no_update} BEFORE UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()",
            f"CREATE OR REPLACE TRIGGER {no_delete} BEFORE DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()",
        ]
    return statements


def _drop(vendor: str) -> list[str]:
    statements = []
    for table in TABLES:
        for name in _names(table):
            if vendor == "sqlite":
                statements.append(f"DROP TRIGGER IF EXISTS {name}")
            else:
                statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    return statements


def _run(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _check_vendor(connection: Any) -> None:
    if connection.vendor not in ("sqlite", "postgresql"):
        raise NotSupportedError(
            f"append-only ledger triggers are written for SQLite and PostgreSQL, not {connection.vendor}"
        )


def tables_exist(connection: Any) -> bool:
    return set(TABLES) <= set(connection.introspection.table_names())


def install_triggers(connection: Any) -> None:
    _check_vendor(connection)
    if not tables_exist(connection):
        return
    _run(connection, _sqlite_install() if connection.vendor == "sqlite" else _postgres_install())


def drop_triggers(connection: Any, *, drop_function: bool = False) -> None:
    _check_vendor(connection)
    if not tables_exist(connection):
        return
    _run(connection, _drop(connection.vendor))
    if drop_function and connection.vendor == "postgresql":
        _run(connection, [f"DROP FUNCTION IF EXISTS {FUNCTION}()"])


def triggers_present(connection: Any) -> bool:
    placeholders = ", ".join(["%s"] * len(TRIGGERS))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({placeholders})",  # noqa: S608
                list(TRIGGERS),
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT COUNT(*) FROM pg_trigger WHERE tgname IN ({placeholders}) AND tgenabled <> 'D'",  # noqa: S608
                list(TRIGGERS),
            )
        else:
            return False
        return bool(cursor.fetchone()[0] == len(TRIGGERS))
