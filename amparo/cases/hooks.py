"""Where the apps above cases plug into a case's life.

Deadlines sit above cases: a deadline belongs to a case and is counted from its hearings,
decisions and timeline, so deadlines imports cases and never the other way (an import-linter
contract keeps it so). What cases needs from deadlines goes through these hooks, which the
deadlines app fills in its ``AppConfig.ready()``:

- :data:`ON_TRIGGERS_CHANGED`: something a deadline is counted from changed (a hearing, a
  decision, a timeline line that starts a clock, custody). Called inside the service's
  transaction, with the service's actor, so the deadlines change with the facts or not at all.
- :data:`ON_SEEDED`: ``amparo seed`` bulk-created a batch of cases with their hearings,
  decisions and timeline lines (no service ran, so no trigger hook either).
- :data:`ON_ASSIGNED`: someone was put on a case's team (the case, the user, the role, the
  actor), inside the service's transaction (notify tells the attorney).
- :data:`ON_HEARING_CHANGED`: a hearing was added or changed (the hearing, ``"added"`` or
  ``"changed"``, the actor), inside the service's transaction (notify tells the case's
  attorneys).
- :data:`DETAIL_SECTIONS`: more sections for the case page, each a dict with the ``template``
  to include and what it shows (the page passes it as ``section``).

Without the deadlines app the hooks are empty: a case just has no deadlines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from amparo.core.hooks import hook_register as hook_register  # the one way to fill a hook

if TYPE_CHECKING:
    from .models import Case, CaseEvent, Hearing, Outcome


@dataclass(frozen=True)
class SeededCase:
    """One case ``amparo seed`` made, with the rows made for it in the same batch."""

    case: Case
    hearings: list[Hearing] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    events: list[CaseEvent] = field(default_factory=list)


ON_TRIGGERS_CHANGED: list[Callable[[Case, Any], None]] = []
ON_SEEDED: list[Callable[[list[SeededCase]], None]] = []
DETAIL_SECTIONS: list[Callable[[Any, Case], dict[str, Any] | None]] = []
ON_ASSIGNED: list[Callable[[Case, Any, str, Any], None]] = []
ON_HEARING_CHANGED: list[Callable[[Hearing, str, Any], None]] = []


def triggers_changed(case: Case, by: Any) -> None:
    for hook in ON_TRIGGERS_CHANGED:
        hook(case, by)


def cases_seeded(batch: list[SeededCase]) -> None:
    for hook in ON_SEEDED:
        hook(batch)


def case_assigned(case: Case, user: Any, role: str, by: Any) -> None:
    for hook in ON_ASSIGNED:
        hook(case, user, role, by)


def hearing_changed(hearing: Hearing, change: str, by: Any) -> None:
    for hook in ON_HEARING_CHANGED:
        hook(hearing, change, by)


def detail_sections(user: Any, case: Case) -> list[dict[str, Any]]:
    """The extra sections of the case page ``user`` sees, in the order they were registered."""
    sections = (hook(user, case) for hook in DETAIL_SECTIONS)
    return [section for section in sections if section]
