"""The hash of an audit event: SHA-256 over canonical JSON of its content and the previous hash.

Canonical: keys sorted, no whitespace, UTF-8, times in UTC with microseconds. Every value that
is hashed is stored, so ``verify`` can recompute it from the row alone.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

HASHED_FIELDS = (
    "seq",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "fields",
    "reason",
    "request_id",
    "created_at",
    "prev_hash",
)


def canonical_time(value: datetime.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("audit times are aware")
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_payload(
    *,
    seq: int,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    fields: Sequence[str],
    reason: str,
    request_id: str,
    created_at: datetime.datetime,
    prev_hash: str,
) -> bytes:
    payload = {
        "seq": int(seq),
        "actor_id": None if actor_id is None else int(actor_id),
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "fields": list(fields),
        "reason": reason,
        "request_id": request_id,
        "created_at": canonical_time(created_at),
        "prev_hash": prev_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(**values: Any) -> str:
    return hashlib.sha256(canonical_payload(**values)).hexdigest()


def hash_of_row(row: Mapping[str, Any]) -> str:
    """Recompute the hash of a stored event (a ``values()`` dict or similar)."""
    return event_hash(**{name: row[name] for name in HASHED_FIELDS})
