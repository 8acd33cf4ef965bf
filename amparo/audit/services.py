"""Writing audit events. Every change, read and export of protected data calls ``audit_record``
inside the transaction that does it, so the event and the change commit or roll back together.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from amparo.core.middleware import request_id_var

from .chain import event_hash
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


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    # First event (or a database whose head row was flushed): start from the last event, if any.
    last = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
    try:
        with transaction.atomic():
            return AuditChainHead.objects.create(
                pk=1,
                last_seq=last["seq"] if last else 0,
                last_hash=last["hash"] if last else GENESIS_HASH,
            )
    except IntegrityError:  # another writer created it first; wait for its lock
        return AuditChainHead.objects.select_for_update().get(pk=1)


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
    with transaction.atomic():
        head = _locked_head()
        values["seq"] = head.last_seq + 1
        values["prev_hash"] = head.last_hash
        values["created_at"] = timezone.now()
        values["hash"] = event_hash(**values)
        event = AuditEvent.objects.create(**values)
        head.last_seq = event.seq
        head.last_hash = event.hash
        head.updated_at = values["created_at"]
        head.save(update_fields=["last_seq", "last_hash", "updated_at"])
    return event
