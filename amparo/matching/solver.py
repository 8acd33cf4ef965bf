"""The optimal batch matcher.

Maximizes, in this order (lexicographically):

1. the total priority of the requests served;
2. the number of requests served (equal urgency: help more people);
3. minus the number of assignments that need an interpreter.

Hard rules: no attorney above capacity; language (or the organization's interpreter),
practice area and area must fit. Within an attorney class, new cases are shared in proportion
to the attorneys' remaining capacity (spreading load).

How (the argument is in README.md): requests are grouped by (class, priority) and attorneys by
the set of request classes they can serve, which turns e.g. 100,000 x 2,000 into a small network
flow LP; its constraint matrix is totally unimodular, so the simplex vertex it returns is
integral and the LP bound equals the optimum. The three objectives are solved in sequence, each
restricted to the optimal face of the previous one through complementary slackness (a variable
with a non-zero reduced cost keeps its value), which keeps the matrix a network matrix.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog
from scipy.sparse import coo_array, csc_array

from .compat import build_index
from .model import Assignment, Attorney, Request, Result, check_unique_ids

#: Reduced costs of a vertex of a network LP with integer costs are integers; anything farther
#: from zero than this is a true non-zero.
_DUAL_EPS = 1e-6
_INT_EPS = 1e-6


class SolverError(RuntimeError):
    pass


@dataclass(slots=True)
class _Model:
    """The aggregated LP in equality form: A x = 0 / cap, lb <= x <= ub.

    Columns: z (one per request class and priority level), then y (one per compatible request
    class -> attorney class pair), then s (one slack per attorney class).
    Rows: one per request class (sum z - sum y = 0), one per attorney class (sum y + s = cap).
    """

    matrix: coo_array
    rhs: NDArray[np.float64]
    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    priority_cost: NDArray[np.float64]
    count_cost: NDArray[np.float64]
    interpreter_cost: NDArray[np.float64]


def solve(
    requests: Sequence[Request], attorneys: Sequence[Attorney], *, allow_interpreter: bool = True
) -> Result:
    """An optimal assignment (see the module docstring). ``bound`` is the LP optimum."""
    started = time.perf_counter()
    check_unique_ids(requests, attorneys)
    index = build_index(requests, attorneys, allow_interpreter=allow_interpreter)

    # Attorney classes: attorneys that can serve exactly the same request classes, the same
    # way (directly or with an interpreter), are interchangeable.
    attorney_classes: dict[frozenset[tuple[int, bool]], list[int]] = {}
    for position, served_classes in enumerate(index.edges):
        if attorneys[position].capacity > 0 and served_classes:
            key = frozenset(served_classes.items())
            attorney_classes.setdefault(key, []).append(position)
    class_keys = list(attorney_classes)
    class_members = [attorney_classes[k] for k in class_keys]
    class_capacity = [sum(attorneys[p].capacity for p in members) for members in class_members]
    reachable = {klass for key in class_keys for klass, _ in key}

    # Requests of a class and priority level are interchangeable: keep them in arrival order so
    # that ties go to whoever asked first.
    levels: dict[int, dict[int, list[Request]]] = {}
    for request in sorted(requests, key=lambda r: r.arrival):
        klass = index.class_of[request.klass]
        if klass in reachable:
            levels.setdefault(klass, {}).setdefault(request.priority, []).append(request)

    request_classes = sorted(levels)
    row_of_class = {klass: row for row, klass in enumerate(request_classes)}
    groups = [(klass, p) for klass in request_classes for p in sorted(levels[klass], reverse=True)]
    edges = [
        (klass, a, interpreter)
        for a, key in enumerate(class_keys)
        for klass, interpreter in sorted(key)
        if klass in row_of_class
    ]
    stats: dict[str, float] = {
        "request_classes": len(index.classes),
        "priority_groups": len(groups),
        "attorney_classes": len(class_keys),
        "lp_columns": len(groups) + len(edges) + len(class_keys),
        "lp_rows": len(request_classes) + len(class_keys),
    }
    if not groups or not edges:
        stats["seconds"] = time.perf_counter() - started
        return Result((), tuple(r.id for r in requests), 0, "lp-network", 0.0, stats)

    model = _build_model(levels, groups, edges, row_of_class, class_capacity)
    x, bound = _solve_lexicographic(model, stats)

    n_groups, n_edges = len(groups), len(edges)
    served_per_group = x[:n_groups]
    flow_per_edge = x[n_groups : n_groups + n_edges]

    # Disaggregate: the served requests of a class are its top ones by priority (the LP tells
    # how many per level), dealt to attorney classes along the edges.
    served: dict[int, list[Request]] = {}
    for (klass, p), count in zip(groups, served_per_group, strict=True):
        served.setdefault(klass, []).extend(levels[klass][p][:count])
    incoming: list[list[tuple[Request, bool]]] = [[] for _ in class_keys]
    taken = dict.fromkeys(request_classes, 0)
    for (klass, a, interpreter), flow in zip(edges, flow_per_edge, strict=True):
        start = taken[klass]
        incoming[a].extend((r, interpreter) for r in served[klass][start : start + flow])
        taken[klass] = start + flow
    if any(taken[k] != len(served.get(k, [])) for k in request_classes):
        raise SolverError("flow conservation broken after rounding")

    assignments: list[Assignment] = []
    for a, cases in enumerate(incoming):
        members = class_members[a]
        quotas = _proportional_quotas(len(cases), [attorneys[p].capacity for p in members])
        for (request, interpreter), member in zip(cases, _deal(quotas), strict=True):
            assignments.append(Assignment(request.id, attorneys[members[member]].id, interpreter))
    assigned = {a.request_id for a in assignments}
    objective = sum(r.priority for r in requests if r.id in assigned)
    stats["seconds"] = time.perf_counter() - started
    return Result(
        assignments=tuple(assignments),
        unassigned=tuple(r.id for r in requests if r.id not in assigned),
        objective=objective,
        method="lp-network",
        bound=bound,
        stats=stats,
    )


def _build_model(
    levels: dict[int, dict[int, list[Request]]],
    groups: list[tuple[int, int]],
    edges: list[tuple[int, int, bool]],
    row_of_class: dict[int, int],
    class_capacity: list[int],
) -> _Model:
    n_groups, n_edges, n_slack = len(groups), len(edges), len(class_capacity)
    n_rows = len(row_of_class)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for j, (klass, _) in enumerate(groups):
        rows.append(row_of_class[klass])
        cols.append(j)
        vals.append(1.0)
    for j, (klass, a, _) in enumerate(edges, start=n_groups):
        rows += [row_of_class[klass], n_rows + a]
        cols += [j, j]
        vals += [-1.0, 1.0]
    for a in range(n_slack):
        rows.append(n_rows + a)
        cols.append(n_groups + n_edges + a)
        vals.append(1.0)
    n_cols = n_groups + n_edges + n_slack
    matrix = coo_array((vals, (rows, cols)), shape=(n_rows + n_slack, n_cols))
    rhs = np.concatenate([np.zeros(n_rows), np.asarray(class_capacity, dtype=np.float64)])
    lower = np.zeros(n_cols)
    upper = np.full(n_cols, np.inf)
    upper[:n_groups] = [len(levels[klass][p]) for klass, p in groups]
    upper[n_groups + n_edges :] = class_capacity
    priority_cost = np.zeros(n_cols)
    priority_cost[:n_groups] = [-float(p) for _, p in groups]
    count_cost = np.zeros(n_cols)
    count_cost[:n_groups] = -1.0
    interpreter_cost = np.zeros(n_cols)
    interpreter_cost[n_groups : n_groups + n_edges] = [1.0 if i else 0.0 for _, _, i in edges]
    return _Model(matrix, rhs, lower, upper, priority_cost, count_cost, interpreter_cost)


def _solve_lexicographic(model: _Model, stats: dict[str, float]) -> tuple[NDArray[np.int64], float]:
    """Integral x optimizing the three objectives in order; and the first LP optimum (bound)."""
    lower, upper = model.lower.copy(), model.upper.copy()
    matrix = model.matrix.tocsc()
    x: NDArray[np.int64] | None = None
    bound = 0.0
    phases = (
        ("priority", model.priority_cost),
        ("count", model.count_cost),
        ("interpreter", model.interpreter_cost),
    )
    for phase, (name, cost) in enumerate(phases):
        if phase > 0 and not cost[lower < upper].any():
            continue  # nothing to choose here: every free column costs the same
        t0 = time.perf_counter()
        candidate, res = _vertex(cost, matrix, model.rhs, lower, upper, name)
        stats[f"lp_{name}_seconds"] = time.perf_counter() - t0
        if phase == 0:
            bound = -float(res.fun)
        elif x is not None and _keeps(candidate, x, [c for _, c in phases[:phase]]):
            pass
        else:
            break  # numerical trouble left the optimal face: keep the previous phase
        x = candidate
        # Every optimal solution satisfies complementary slackness with this dual: columns
        # with a non-zero reduced cost stay at their bound in all of them.
        at_lower = np.asarray(res.lower.marginals) > _DUAL_EPS
        at_upper = np.asarray(res.upper.marginals) < -_DUAL_EPS
        upper[at_lower] = lower[at_lower]
        lower[at_upper] = upper[at_upper]
    assert x is not None
    return x, bound


def _vertex(
    cost: NDArray[np.float64],
    matrix: csc_array,
    rhs: NDArray[np.float64],
    lower: NDArray[np.float64],
    upper: NDArray[np.float64],
    name: str,
) -> tuple[NDArray[np.int64], Any]:
    """An optimal vertex, rounded (it is integral by unimodularity), and HiGHS's answer.

    Interior point with crossover is the fastest here and ends on a vertex; dual simplex is the
    fallback should crossover ever stop short of one.
    """
    bounds = np.column_stack([lower, upper])
    message = ""
    for method in ("highs-ipm", "highs-ds"):
        res = linprog(cost, A_eq=matrix, b_eq=rhs, bounds=bounds, method=method)
        if res.status != 0:
            message = str(res.message)
            continue
        values = np.asarray(res.x, dtype=np.float64)
        rounded = np.rint(values)
        if np.abs(values - rounded).max(initial=0.0) <= _INT_EPS:
            return rounded.astype(np.int64), res
        message = "fractional solution"
    raise SolverError(f"LP phase {name} failed: {message}")


def _keeps(
    candidate: NDArray[np.int64], previous: NDArray[np.int64], costs: list[NDArray[np.float64]]
) -> bool:
    """The later phase kept the earlier objectives exactly (integers, no tolerance)."""
    for cost in costs:
        c = cost.astype(np.int64)
        if int(c @ candidate) != int(c @ previous):
            return False
    return True


def _proportional_quotas(total: int, capacities: list[int]) -> list[int]:
    """Split ``total`` cases in proportion to capacity (largest remainder), never above it."""
    room = sum(capacities)
    if total > room:
        raise SolverError("attorney class over capacity")
    if room == 0:
        return [0] * len(capacities)
    quotas = [total * c // room for c in capacities]
    remainders = sorted(range(len(capacities)), key=lambda i: (-(total * capacities[i] % room), i))
    for i in remainders[: total - sum(quotas)]:
        quotas[i] += 1
    return quotas


def _deal(quotas: list[int]) -> list[int]:
    """Member index for each case, round robin, so urgent cases are spread too."""
    left = list(quotas)
    total = sum(quotas)
    order: list[int] = []
    while len(order) < total:
        for i, q in enumerate(left):
            if q:
                order.append(i)
                left[i] -= 1
    return order
