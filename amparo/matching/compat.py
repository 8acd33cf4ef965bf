"""Which attorneys can take which requests, computed once per batch.

Requests with the same (language, practice area, area) are interchangeable for every rule, so
compatibility is computed per request *class*, never per request: for each attorney, the
classes present in the batch that the attorney can serve, and whether through an interpreter.
The cost is the sum over attorneys of (practice areas x areas x languages present there), not
requests x attorneys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import Attorney, Request, RequestClass


@dataclass(frozen=True, slots=True)
class CompatIndex:
    classes: tuple[RequestClass, ...]
    class_of: dict[RequestClass, int]
    #: For each attorney (same order as the input): class index -> needs an interpreter.
    edges: tuple[dict[int, bool], ...]


def build_index(
    requests: Sequence[Request], attorneys: Sequence[Attorney], *, allow_interpreter: bool = True
) -> CompatIndex:
    class_of: dict[RequestClass, int] = {}
    for r in requests:
        class_of.setdefault(r.klass, len(class_of))
    by_place: dict[tuple[str, str], dict[str, int]] = {}
    for (language, practice_area, area), index in class_of.items():
        by_place.setdefault((practice_area, area), {})[language] = index
    edges: list[dict[int, bool]] = []
    for attorney in attorneys:
        mine: dict[int, bool] = {}
        for practice_area in attorney.practice_areas:
            for area in attorney.areas:
                for language, index in by_place.get((practice_area, area), {}).items():
                    if language in attorney.languages:
                        mine[index] = False
                    elif allow_interpreter and language in attorney.interpreter_languages:
                        mine[index] = True
        edges.append(mine)
    return CompatIndex(classes=tuple(class_of), class_of=class_of, edges=tuple(edges))


def arrival_order(requests: Sequence[Request]) -> list[Request]:
    """Requests by arrival time; equal times keep their input order (sort is stable)."""
    return sorted(requests, key=lambda r: r.arrival)
