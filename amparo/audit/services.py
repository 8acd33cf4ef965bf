"""Writing audit events. Every change, read and export of protected data calls ``audit_record``
inside the transaction that does it, so the event and the change commit or roll back together.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, connections, models, transaction
from django.utils import timezone

from amparo.core.logging import request_id_var

from .chain import HASHED_FIELDS, event_hash
from .models import GENESIS_HASH, AuditChainHead, AuditEvent

_ACTION = re.compile(r"^[a-z][a-z0-9_.:-]{0,63}$")
_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]{0,99}$")
_OBJECT_TYPE = re.compile(r"^[a-z][a-z0-9_.]{0,99}$")
MAX_REASON = 2000
MAX_OBJECT_ID = 64


def _actor_id(actor: Any) -> int | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return int(actor.pk)


#: What an event stores: everything its hash covers, and the hash.
_COLUMNS = (*HASHED_FIELDS, "hash")


def _event_fields() -> dict[str, models.Field[Any, Any]]:
    return {field.name: field for field in AuditEvent._meta.concrete_fields}


def _sql(connection: Any) -> dict[str, str]:
    """The three statements of an append. Written out rather than built by the ORM on every
    call: an audited read must cost little next to the page it protects (``amparo bench vault``)."""
    qn = connection.ops.quote_name
    events, head = qn(AuditEvent._meta.db_table), qn(AuditChainHead._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    columns = ", ".join(qn(_event_fields()[name].column) for name in _COLUMNS)
    placeholders = ", ".join(["%s"] * len(_COLUMNS))
    # Identifiers come from model metadata and are quoted; every value is a parameter.
    return {
        "head": f"SELECT {qn('last_seq')}, {qn('last_hash')} FROM {head} WHERE {qn('id')} = 1{lock}",  # noqa: S608
        "insert": f"INSERT INTO {events} ({columns}) VALUES ({placeholders}) RETURNING {qn('id')}",  # noqa: S608
        "advance": f"UPDATE {head} SET {qn('last_seq')} = %s, {qn('last_hash')} = %s, {qn('updated_at')} = %s WHERE {qn('id')} = 1",  # noqa: S608
    }


_sql_cache: dict[str, dict[str, str]] = {}


def _statements(connection: Any) -> dict[str, str]:
    statements = _sql_cache.get(connection.vendor)
    if statements is None:
        statements = _sql_cache[connection.vendor] = _sql(connection)
    return statements


def _locked_head(cursor: Any, statements: dict[str, str]) -> tuple[int, str]:
    """The chain head, locked until the transaction ends (created on the first append)."""
    cursor.execute(statements["head"])
    row = cursor.fetchone()
    if row is not None:
        return int(row[0]), str(row[1])
    # First event (or a database whose head row was flushed): start from the last event, if any.
    last = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(
                pk=1,
                last_seq=last["seq"] if last else 0,
                last_hash=last["hash"] if last else GENESIS_HASH,
            )
    except IntegrityError:  # another writer created it first: wait for its lock
        pass
    cursor.execute(statements["head"])
    row = cursor.fetchone()
    return int(row[0]), str(row[1])


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    fields: Iterable[str] = (),
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction.

    Guarantees: the event is chained onto the event before it and no other writer can chain
    onto the same event (appends are serialized on the chain head); ``fields`` are names only
    (anything that does not look like a field name is refused, so no value slips in); the
    request id of the current request is attached. Call it last in a service, after the rows it
    describes are locked, so that lock order is always rows first, then the chain head.
    """
    if not _ACTION.match(action):
        raise ValueError(f"not an audit action name: {action!r}")
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = "" if obj.pk is None else str(obj.pk)
    object_id = str(object_id)
    if not _OBJECT_TYPE.match(object_type):
        raise ValueError(f"not an object type: {object_type!r}")
    if len(object_id) > MAX_OBJECT_ID:
        raise ValueError("object ids are at most 64 characters")
    names = sorted(set(fields))
    for name in names:
        if not _FIELD_NAME.match(name):
            raise ValueError("audit events hold field names, never values")
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise ValueError(f"a reason is at most {MAX_REASON} characters")
    values: dict[str, Any] = {
        "actor_id": _actor_id(actor),
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "fields": names,
        "reason": reason,
        "request_id": request_id_var.get()[:64],
    }
    connection = connections[AuditEvent.objects.db]
    statements = _statements(connection)
    fields_by_name = _event_fields()
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        last_seq, last_hash = _locked_head(cursor, statements)
        values["seq"] = last_seq + 1
        values["prev_hash"] = last_hash
        values["created_at"] = timezone.now()
        values["hash"] = event_hash(**values)
        params = [
            fields_by_name[name].get_db_prep_save(values[name], connection) for name in _COLUMNS
        ]
        cursor.execute(statements["insert"], params)
        event_id = cursor.fetchone()[0]
        cursor.execute(
            statements["advance"],
            [
                values["seq"],
                values["hash"],
                fields_by_name["created_at"].get_db_prep_save(values["created_at"], connection),
            ],
        )
    event = AuditEvent(id=event_id, **values)
    event._state.adding = False
    event._state.db = connection.alias
    return event
