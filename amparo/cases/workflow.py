"""The case lifecycle as an explicit state machine.

::

    open ──activate──▶ active ──(decision)──▶ decided ──appeal──▶ appeal ──(decision)──▶ decided
      │                  │                      │                   │
      └──────────────────┴───────close──────────┴───────────────────┘──▶ closed ──reopen──▶ active

Recording a decision (``services.outcome_record``) moves an open, active, decided or on-appeal
case to ``decided`` (a *pending* affirmative result does not). ``close`` needs a final outcome.
Each transition names the predicate that decides who may take it; ``available_transitions``
lists the ones a user may take now, so a page never offers a button that would be refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import CaseStatus
from .outcomes import NOT_FINAL
from .permissions import can_close_case, can_edit_case

S = CaseStatus


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    label: Promise
    permission: Callable[[Any, Any], bool]
    needs_final_outcome: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "activate", frozenset({S.OPEN}), S.ACTIVE, _("Start work on the case"), can_edit_case
        ),
        Transition(
            "appeal", frozenset({S.DECIDED}), S.APPEAL, _("Mark as appealed"), can_edit_case
        ),
        Transition(
            "close",
            frozenset({S.OPEN, S.ACTIVE, S.DECIDED, S.APPEAL}),
            S.CLOSED,
            _("Close the case"),
            can_close_case,
            needs_final_outcome=True,
        ),
        Transition("reopen", frozenset({S.CLOSED}), S.ACTIVE, _("Reopen the case"), can_close_case),
    )
}

#: Statuses from which recording a decision is allowed.
DECISION_SOURCES: frozenset[str] = frozenset({S.OPEN, S.ACTIVE, S.DECIDED, S.APPEAL})


class TransitionRefused(Exception):
    """The transition does not apply to the case as it is (wrong state, no final outcome)."""

    def __init__(self, code: str, message: Any) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message


def has_final_outcome(case: Any) -> bool:
    outcome = case.outcome
    return outcome is not None and outcome.kind not in NOT_FINAL


def check_transition(case: Any, name: str) -> Transition:
    """The transition, if it applies to ``case`` now; ``TransitionRefused`` otherwise.

    (Whether the *user* may take it is checked by the service, with ``transition.permission``.)
    """
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionRefused("unknown", _("There is no such step."))
    if case.status not in transition.sources:
        raise TransitionRefused(
            "state",
            _("This step is not possible while the case is %(status)s.")
            % {"status": case.get_status_display().lower()},
        )
    if transition.needs_final_outcome and not has_final_outcome(case):
        raise TransitionRefused("outcome", _("Record the outcome before closing the case."))
    return transition


def available_transitions(user: Any, case: Any) -> list[Transition]:
    """The transitions ``user`` may take on ``case`` now (state, outcome and permission)."""
    found = []
    for name, transition in TRANSITIONS.items():
        if case.status not in transition.sources or not transition.permission(user, case):
            continue
        try:
            check_transition(case, name)
        except TransitionRefused:
            continue
        found.append(transition)
    return found
