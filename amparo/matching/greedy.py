"""The first-come-first-served baseline: what a hotline does without a matcher.

Requests are taken in arrival order; each goes to the first compatible attorney (in the order
given) who still has room, or waits if there is none.
"""

from __future__ import annotations

from collections.abc import Sequence

from .compat import arrival_order, build_index
from .model import Assignment, Attorney, Request, Result, check_unique_ids


def solve_greedy(
    requests: Sequence[Request], attorneys: Sequence[Attorney], *, allow_interpreter: bool = True
) -> Result:
    check_unique_ids(requests, attorneys)
    index = build_index(requests, attorneys, allow_interpreter=allow_interpreter)
    # Per class, the compatible attorneys in input order. A full attorney stays full, so a
    # pointer per class that skips full attorneys finds "the first with room" in O(1) amortized.
    candidates: list[list[tuple[int, bool]]] = [[] for _ in index.classes]
    for position, edges in enumerate(index.edges):
        for klass, interpreter in edges.items():
            candidates[klass].append((position, interpreter))
    pointer = [0] * len(index.classes)
    room = [a.capacity for a in attorneys]

    assignments: list[Assignment] = []
    unassigned: list[int] = []
    objective = 0
    for request in arrival_order(requests):
        klass = index.class_of[request.klass]
        options = candidates[klass]
        p = pointer[klass]
        while p < len(options) and room[options[p][0]] == 0:
            p += 1
        pointer[klass] = p
        if p == len(options):
            unassigned.append(request.id)
            continue
        position, interpreter = options[p]
        room[position] -= 1
        assignments.append(Assignment(request.id, attorneys[position].id, interpreter))
        objective += request.priority
    return Result(
        assignments=tuple(assignments),
        unassigned=tuple(unassigned),
        objective=objective,
        method="greedy-fcfs",
    )
