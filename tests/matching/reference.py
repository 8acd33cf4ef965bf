"""Independent reference solvers for small instances: brute force and a per-request MILP.

Both optimize the same lexicographic goal as the matcher: (total priority, number served,
minus interpreter assignments), so a test can compare the whole tuple.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_array

from amparo.matching.model import Attorney, Request

Score = tuple[int, int, int]


def brute_force(requests: Sequence[Request], attorneys: Sequence[Attorney]) -> Score:
    """Try every assignment (depth first, with capacity pruning)."""
    options = [
        [(j, a.needs_interpreter(r)) for j, a in enumerate(attorneys) if a.can_serve(r)]
        for r in requests
    ]
    room = [a.capacity for a in attorneys]
    best: Score = (0, 0, 0)

    def go(i: int, score: Score) -> None:
        nonlocal best
        if i == len(requests):
            best = max(best, score)
            return
        go(i + 1, score)  # leave request i waiting
        for j, interpreter in options[i]:
            if room[j]:
                room[j] -= 1
                p, n, k = score
                go(i + 1, (p + requests[i].priority, n + 1, k - interpreter))
                room[j] += 1

    go(0, best)
    return best


def milp_optimum(requests: Sequence[Request], attorneys: Sequence[Attorney]) -> Score:
    """x[i, j] in {0, 1} per compatible pair; one weighted integer objective that is exact
    lexicographically because the weights dominate each lower criterion's whole range."""
    pairs = [
        (i, j, a.needs_interpreter(r))
        for i, r in enumerate(requests)
        for j, a in enumerate(attorneys)
        if a.can_serve(r)
    ]
    if not pairs:
        return (0, 0, 0)
    n = len(requests) + 1
    weight = [-(requests[i].priority * n * n + n - (1 if interp else 0)) for i, _, interp in pairs]
    rows, cols = [], []
    for col, (i, j, _) in enumerate(pairs):
        rows += [i, len(requests) + j]
        cols += [col, col]
    matrix = coo_array(
        (np.ones(len(rows)), (rows, cols)), shape=(len(requests) + len(attorneys), len(pairs))
    )
    upper = [1] * len(requests) + [a.capacity for a in attorneys]
    res = milp(
        c=np.asarray(weight, dtype=float),
        constraints=LinearConstraint(matrix, -np.inf, np.asarray(upper, dtype=float)),
        integrality=np.ones(len(pairs)),
        bounds=Bounds(0, 1),
    )
    assert res.status == 0, res.message
    chosen = [pairs[c] for c, v in enumerate(res.x) if v > 0.5]
    return (
        sum(requests[i].priority for i, _, _ in chosen),
        len(chosen),
        -sum(1 for _, _, interp in chosen if interp),
    )


def per_request_lp_bound(requests: Sequence[Request], attorneys: Sequence[Attorney]) -> float:
    """The LP relaxation of the per-request model (no aggregation): an upper bound computed
    without any of the matcher's code."""
    pairs = [
        (i, j) for i, r in enumerate(requests) for j, a in enumerate(attorneys) if a.can_serve(r)
    ]
    if not pairs:
        return 0.0
    rows, cols = [], []
    for col, (i, j) in enumerate(pairs):
        rows += [i, len(requests) + j]
        cols += [col, col]
    matrix = coo_array(
        (np.ones(len(rows)), (rows, cols)), shape=(len(requests) + len(attorneys), len(pairs))
    )
    upper = [1.0] * len(requests) + [float(a.capacity) for a in attorneys]
    res = linprog(
        c=[-float(requests[i].priority) for i, _ in pairs],
        A_ub=matrix,
        b_ub=upper,
        bounds=(0, 1),
        method="highs",
    )
    assert res.status == 0, res.message
    return -float(res.fun)
