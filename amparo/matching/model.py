"""The matcher's data: requests, attorneys, assignments and results (pure Python, no Django).

Identifiers are opaque integers (database ids), never personal data: the matcher sees only what
routing needs. Languages are codes (ISO 639, e.g. ``es``, ``quc`` for K'iche', ``mam``), practice
areas and areas are short slugs chosen by the program's configuration.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

#: A compatibility class of requests: interchangeable for routing.
RequestClass = tuple[str, str, str]  # (language, practice_area, area)


@dataclass(frozen=True, slots=True)
class Request:
    """A pending help request, already screened and triaged.

    ``priority`` is the triage score (higher is more urgent; detained people score higher).
    ``arrival`` orders requests for first-come-first-served and breaks ties between equal
    priorities (earlier first).
    """

    id: int
    priority: int
    language: str
    practice_area: str
    area: str
    detained: bool = False
    arrival: float = 0.0

    def __post_init__(self) -> None:
        if self.priority < 0:
            raise ValueError(f"request {self.id}: priority must be >= 0")

    @property
    def klass(self) -> RequestClass:
        return (self.language, self.practice_area, self.area)


@dataclass(frozen=True, slots=True)
class Attorney:
    """An attorney (or accredited representative) with room for ``capacity`` more cases.

    ``interpreter_languages`` are the languages their organization can interpret (the attorney
    can take a request in one of them through an interpreter).
    """

    id: int
    organization: int
    capacity: int
    languages: frozenset[str]
    practice_areas: frozenset[str]
    areas: frozenset[str]
    interpreter_languages: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.capacity < 0:
            raise ValueError(f"attorney {self.id}: capacity must be >= 0")

    def can_serve(self, request: Request, *, allow_interpreter: bool = True) -> bool:
        """True if the practice area, the area and the language (directly or not) fit."""
        if request.practice_area not in self.practice_areas or request.area not in self.areas:
            return False
        if request.language in self.languages:
            return True
        return allow_interpreter and request.language in self.interpreter_languages

    def needs_interpreter(self, request: Request) -> bool:
        return request.language not in self.languages


@dataclass(frozen=True, slots=True)
class Assignment:
    request_id: int
    attorney_id: int
    interpreter: bool = False


@dataclass(frozen=True, slots=True)
class Result:
    """An assignment of some requests to attorneys.

    ``objective`` is the total priority of the requests served. ``bound`` is an upper bound on
    the best possible objective when the method computes one (the optimal solver's LP bound).
    """

    assignments: tuple[Assignment, ...]
    unassigned: tuple[int, ...]
    objective: int
    method: str
    bound: float | None = None
    stats: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def served(self) -> int:
        return len(self.assignments)

    @property
    def interpreter_assignments(self) -> int:
        return sum(1 for a in self.assignments if a.interpreter)

    def load(self) -> dict[int, int]:
        """Number of new cases per attorney id (attorneys with none are absent)."""
        counts: dict[int, int] = {}
        for a in self.assignments:
            counts[a.attorney_id] = counts.get(a.attorney_id, 0) + 1
        return counts


class InfeasibleAssignment(ValueError):
    """An assignment breaks a hard rule (capacity, language, practice area, area, duplicate)."""


def check_unique_ids(requests: Sequence[Request], attorneys: Sequence[Attorney]) -> None:
    if len({r.id for r in requests}) != len(requests):
        raise ValueError("request ids must be unique")
    if len({a.id for a in attorneys}) != len(attorneys):
        raise ValueError("attorney ids must be unique")


def verify(
    assignments: Iterable[Assignment],
    requests: Sequence[Request],
    attorneys: Sequence[Attorney],
    *,
    allow_interpreter: bool = True,
) -> int:
    """Check every hard rule independently of how the assignment was made.

    Returns the objective (total priority served); raises InfeasibleAssignment otherwise.
    """
    by_request = {r.id: r for r in requests}
    by_attorney = {a.id: a for a in attorneys}
    seen: set[int] = set()
    load: dict[int, int] = {}
    total = 0
    for a in assignments:
        request = by_request.get(a.request_id)
        attorney = by_attorney.get(a.attorney_id)
        if request is None or attorney is None:
            raise InfeasibleAssignment(f"unknown request or attorney in {a}")
        if a.request_id in seen:
            raise InfeasibleAssignment(f"request {a.request_id} assigned twice")
        seen.add(a.request_id)
        if not attorney.can_serve(request, allow_interpreter=allow_interpreter):
            raise InfeasibleAssignment(f"attorney {a.attorney_id} cannot serve {a.request_id}")
        if a.interpreter != attorney.needs_interpreter(request):
            raise InfeasibleAssignment(f"interpreter flag wrong in {a}")
        load[a.attorney_id] = load.get(a.attorney_id, 0) + 1
        if load[a.attorney_id] > attorney.capacity:
            raise InfeasibleAssignment(f"attorney {a.attorney_id} over capacity")
        total += request.priority
    return total
