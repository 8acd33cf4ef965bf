"""Triage: a priority from explicit, weighted factors, each with its reason (pure Python).

Higher is more urgent. The priority is the sum of the weights of the factors that apply, so
every point can be traced to one factor, and a program changes the order by changing weights,
not code. Defaults follow docs/eligibility.md: detained first, then the nearest hearing, then children
and other vulnerable people.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

#: Factor name -> default weight. Hearing factors are exclusive (the nearest window applies),
#: and so are the missed-hearing ones (an order in absentia, else a hearing the person says
#: they missed, else a hearing date that has passed); the others add up. By default a missed
#: hearing weighs as much as a hearing within 7 days: its deadlines (a motion to reopen) are as
#: short. Each running deadline within 30 days adds its own points and reason.
DEFAULT_WEIGHTS: dict[str, int] = {
    "detained": 1000,
    "in_absentia_order": 500,
    "hearing_missed": 500,
    "hearing_passed": 500,
    "hearing_7_days": 500,
    "hearing_30_days": 300,
    "hearing_90_days": 100,
    "in_absentia_risk": 300,
    "appeal_deadline_30_days": 300,
    "motion_deadline_30_days": 300,
    "petition_deadline_30_days": 300,
    "unaccompanied_child": 400,
    "minor": 200,
    "vulnerable": 150,
}
FACTORS: tuple[str, ...] = tuple(DEFAULT_WEIGHTS)
MAX_WEIGHT = 100_000
#: A past hearing older than this is not read as a missed hearing (probably a typo).
PASSED_WINDOW_DAYS = 365
#: A running deadline (appeal, motion, petition) this close or closer adds priority.
DEADLINE_WINDOW_DAYS = 30


@dataclass(frozen=True, slots=True)
class Facts:
    """What triage looks at; nothing identifying."""

    detained: bool = False
    next_hearing: datetime.date | None = None
    minor: bool = False
    unaccompanied_child: bool = False
    in_absentia_risk: bool = False
    vulnerable: bool = False
    #: The person says they missed a hearing.
    missed_hearing: bool = False
    #: An immigration judge ordered removal in absentia.
    in_absentia_order: bool = False
    #: The last day of a running appeal (to the BIA), motion (to reopen or reconsider) or
    #: petition for review (to a court of appeals), if one is known.
    appeal_deadline: datetime.date | None = None
    motion_deadline: datetime.date | None = None
    petition_deadline: datetime.date | None = None


@dataclass(frozen=True, slots=True)
class Factor:
    """One reason for the priority: the factor, the points it adds, and its parameters."""

    code: str
    points: int
    days: int | None = None

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"code": self.code, "points": self.points}
        if self.days is not None:
            data["days"] = self.days
        return data


@dataclass(frozen=True, slots=True)
class Priority:
    score: int
    factors: tuple[Factor, ...]

    def as_list(self) -> list[dict[str, object]]:
        return [f.as_dict() for f in self.factors]


def validate_weights(weights: Mapping[str, object]) -> dict[str, int]:
    """The full weight table: defaults overlaid by ``weights``; raises ``ValueError`` on an
    unknown factor or a weight that is not an integer from 0 to ``MAX_WEIGHT``."""
    table = dict(DEFAULT_WEIGHTS)
    for name, value in weights.items():
        if name not in DEFAULT_WEIGHTS:
            raise ValueError(f"unknown triage factor {name!r}")
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_WEIGHT:
            raise ValueError(f"the weight of {name} must be a whole number from 0 to {MAX_WEIGHT}")
        table[name] = value
    return table


def _hearing_factor(
    next_hearing: datetime.date | None, today: datetime.date
) -> tuple[str, int] | None:
    if next_hearing is None:
        return None
    days = (next_hearing - today).days
    if days < 0:
        return ("hearing_passed", days) if -days <= PASSED_WINDOW_DAYS else None
    if days <= 7:
        return "hearing_7_days", days
    if days <= 30:
        return "hearing_30_days", days
    if days <= 90:
        return "hearing_90_days", days
    return None


def prioritize(
    facts: Facts, *, today: datetime.date, weights: Mapping[str, object] | None = None
) -> Priority:
    """The priority of ``facts`` on ``today``. Factors with weight 0 are left out of the reasons."""
    table = validate_weights(weights or {})
    found: list[Factor] = []

    def add(code: str, days: int | None = None) -> None:
        if table[code] > 0:
            found.append(Factor(code=code, points=table[code], days=days))

    if facts.detained:
        add("detained")
    hearing = _hearing_factor(facts.next_hearing, today)
    missed: str | None = None
    if facts.in_absentia_order:
        missed = "in_absentia_order"
    elif facts.missed_hearing:
        missed = "hearing_missed"
    if missed is not None:
        add(missed)
    if hearing is not None and not (missed is not None and hearing[0] == "hearing_passed"):
        code, days = hearing
        add(code, days=abs(days))
    passed = missed is not None or (hearing is not None and hearing[0] == "hearing_passed")
    if facts.in_absentia_risk and not passed:
        add("in_absentia_risk")
    for code, deadline in (
        ("appeal_deadline_30_days", facts.appeal_deadline),
        ("motion_deadline_30_days", facts.motion_deadline),
        ("petition_deadline_30_days", facts.petition_deadline),
    ):
        if deadline is not None and 0 <= (deadline - today).days <= DEADLINE_WINDOW_DAYS:
            add(code, days=(deadline - today).days)
    if facts.unaccompanied_child:
        add("unaccompanied_child")
    if facts.minor or facts.unaccompanied_child:
        add("minor")
    if facts.vulnerable:
        add("vulnerable")
    return Priority(score=sum(f.points for f in found), factors=tuple(found))
