"""Walk the audit chain and name the first event that was edited, removed or inserted.

What each check catches:

- an event whose stored hash is not the hash of its content, or whose successor chained onto
  a different version of it: **edited**;
- a gap in the numbers, or fewer events than the chain head recorded: **removed**;
- an event its successor skips over (chaining onto the one before it), a reused number, or an
  event past the last one the chain head recorded: **inserted**.

A hash chain kept in the database it protects cannot stop someone who rewrites the whole chain
and its head; copy the ``head_hash`` this prints to somewhere else now and then (SECURITY.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection

from .chain import HASHED_FIELDS, hash_of_row
from .models import GENESIS_HASH, AuditChainHead, AuditEvent
from .triggers import triggers_present

EDITED, REMOVED, INSERTED = "edited", "removed", "inserted"


@dataclass
class Problem:
    kind: str
    seq: int
    event_id: int | None
    detail: str


@dataclass
class ChainReport:
    events: int = 0
    last_seq: int = 0
    head_hash: str = GENESIS_HASH
    first_at: str | None = None
    last_at: str | None = None
    append_only_triggers: bool = False
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = "ok" if self.ok else "tampered"
        return data


def _rows() -> Iterator[dict[str, Any]]:
    yield from (
        AuditEvent.objects.order_by("seq", "id")
        .values("id", "hash", *HASHED_FIELDS)
        .iterator(chunk_size=2000)
    )


def verify_chain() -> ChainReport:
    report = ChainReport(append_only_triggers=triggers_present(connection))
    head = AuditChainHead.objects.filter(pk=1).values("last_seq", "last_hash").first()
    head_seq = head["last_seq"] if head is not None else None
    prev_hash = prev_prev_hash = GENESIS_HASH
    prev: dict[str, Any] | None = None
    expected_seq = 1

    def check(row: dict[str, Any]) -> Problem | None:
        if head_seq is not None and row["seq"] > head_seq:
            return Problem(INSERTED, row["seq"], row["id"], "the chain head ends before this event")
        if row["seq"] < expected_seq:
            return Problem(
                INSERTED, row["seq"], row["id"], "this event reuses a number already in the chain"
            )
        if row["seq"] > expected_seq:
            return Problem(
                REMOVED,
                expected_seq,
                None,
                f"events {expected_seq} to {row['seq'] - 1} are missing",
            )
        if row["prev_hash"] != prev_hash:
            if prev is not None and row["prev_hash"] == prev_prev_hash:
                # This event chains onto the one two back: the one in between was slipped in.
                return Problem(
                    INSERTED, prev["seq"], prev["id"], "this event does not belong to the chain"
                )
            if prev is None or hash_of_row(row) != row["hash"]:
                return Problem(
                    EDITED, row["seq"], row["id"], "the event no longer matches its hash"
                )
            return Problem(
                EDITED,
                prev["seq"],
                prev["id"],
                "the event was replaced: the next one chained onto another",
            )
        if hash_of_row(row) != row["hash"]:
            return Problem(EDITED, row["seq"], row["id"], "the event no longer matches its hash")
        return None

    for row in _rows():
        problem = check(row)
        if problem is not None:
            report.problem = problem
            break
        if prev is None:
            report.first_at = row["created_at"].isoformat()
        prev_prev_hash, prev_hash = prev_hash, row["hash"]
        expected_seq = row["seq"] + 1
        prev = row
        report.events += 1

    if prev is not None:
        report.last_seq = prev["seq"]
        report.head_hash = prev["hash"]
        report.last_at = prev["created_at"].isoformat()
    if report.problem is None and head is not None:
        if report.last_seq < head["last_seq"]:
            report.problem = Problem(
                REMOVED,
                report.last_seq + 1,
                None,
                f"the chain head records {head['last_seq']} events",
            )
        elif report.events and report.head_hash != head["last_hash"]:
            report.problem = Problem(
                EDITED,
                report.last_seq,
                prev["id"] if prev else None,
                "the last event is not the one the chain head records",
            )
    return report
