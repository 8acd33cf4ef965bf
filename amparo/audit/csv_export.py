"""CSV export of audit events, safe to open in a spreadsheet.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or their
full-width forms) is read as a formula by spreadsheet programs; such cells get a leading
apostrophe, which makes them text (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from .chain import canonical_time
from .models import AuditEvent

FORMULA_STARTS = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    "\0",
    "\uff1d",
    "\uff0b",
    "\uff0d",
    "\uff20",
)
HEADER = (
    "seq",
    "time_utc",
    "actor_id",
    "actor",
    "action",
    "object_type",
    "object_id",
    "fields",
    "reason",
    "request_id",
    "hash",
)


def neutralize(value: Any) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(events: Iterable[AuditEvent], actor_labels: dict[int, str]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADER)
    for event in events:
        yield writer.writerow(
            [
                neutralize(cell)
                for cell in (
                    event.seq,
                    canonical_time(event.created_at),
                    event.actor_id,
                    actor_labels.get(event.actor_id, "") if event.actor_id else "system",
                    event.action,
                    event.object_type,
                    event.object_id,
                    " ".join(event.fields or []),
                    event.reason,
                    event.request_id,
                    event.hash,
                )
            ]
        )
