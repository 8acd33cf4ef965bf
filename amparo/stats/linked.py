"""Small-cell suppression chosen jointly over every figure a page publishes.

Suppressing each table on its own is not enough: the figures of one page are tied together
(the relief column of the outcome table is the sum of the relief-by-kind table; completed cases
appear in both; funnel stages are nested), so a cell hidden in one table can be worked out from
another. Here every published figure is described as a sum of *atoms*: disjoint counts of people
or cases (a partition of everyone counted on the page). Anyone reading the page learns exactly:

- the value of every figure that is shown,
- that every atom is a count (``>= 0``).

A figure is *sensitive* when ``0 < value < threshold``. Sensitive figures are hidden, and then,
while a linear program over everything shown can prove that some hidden sensitive figure is
small (its largest feasible value is below the threshold), one more shown figure is hidden: the
one that best widens the range of the worst-protected figure, smallest value first. The result
is audited exactly the way an attacker would attack it (:func:`feasible_ranges`), and the tests
re-do that attack independently.

Atoms are never published themselves unless a figure is made of one atom. Pure Python plus
NumPy and SciPy (HiGHS); no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

#: A shown range counts as wide enough when its upper end reaches the threshold.
_EPS = 1e-6


@dataclass(frozen=True)
class Figure:
    """A published number: the sum of the atoms it names."""

    key: str
    atoms: frozenset[str]


@dataclass(frozen=True)
class Protected:
    """What may be published: ``values[key]`` is ``None`` for a hidden figure."""

    values: dict[str, int | None]
    sensitive: frozenset[str]

    def hidden(self) -> frozenset[str]:
        return frozenset(k for k, v in self.values.items() if v is None)


def _value(figure: Figure, atoms: Mapping[str, int]) -> int:
    return sum(atoms[a] for a in figure.atoms)


def feasible_ranges(
    atoms: Sequence[str],
    figures: Sequence[Figure],
    shown: Mapping[str, int],
    targets: Sequence[str],
    *,
    low: bool = True,
) -> dict[str, tuple[float, float]]:
    """Min and max of each target figure over every non-negative assignment of the atoms that
    gives every shown figure its shown value. ``inf`` when nothing bounds it.

    With ``low=False`` only the max is solved for (the min is reported as 0.0, its bound): the
    search for a figure to hide asks only how large a hidden figure could be. A target with an
    atom that no shown figure names is unbounded above (that atom can grow alone, and the real
    counts are a feasible point), so its max needs no linear program."""
    index = {a: k for k, a in enumerate(atoms)}
    by_key = {f.key: f for f in figures}
    constrained = frozenset().union(*(by_key[key].atoms for key in shown))
    a_eq = np.zeros((len(shown), len(atoms)))
    b_eq = np.zeros(len(shown))
    for row, (key, value) in enumerate(shown.items()):
        for atom in by_key[key].atoms:
            a_eq[row, index[atom]] = 1.0
        b_eq[row] = value
    bounds = [(0.0, None)] * len(atoms)
    out: dict[str, tuple[float, float]] = {}
    for key in targets:
        c = np.zeros(len(atoms))
        for atom in by_key[key].atoms:
            c[index[atom]] = 1.0
        kwargs = {"A_eq": a_eq, "b_eq": b_eq} if len(shown) else {}
        lo = 0.0
        if low:
            least = linprog(c, bounds=bounds, method="highs", **kwargs)
            if least.status != 0:  # the shown figures contradict each other: not for real data
                raise ValueError("the published figures are inconsistent")
            lo = float(least.fun)
        if not by_key[key].atoms <= constrained:
            out[key] = (lo, float("inf"))
            continue
        high = linprog(-c, bounds=bounds, method="highs", **kwargs)
        if high.status == 2:
            raise ValueError("the published figures are inconsistent")
        out[key] = (lo, float("inf") if high.status == 3 else -float(high.fun))
    return out


def protect(
    atoms: Mapping[str, int],
    figures: Sequence[Figure],
    threshold: int,
    implicit: Sequence[Figure] = (),
    known: Sequence[Figure] = (),
) -> Protected:
    """Choose which ``figures`` to hide so that no sensitive figure can be shown to be small.

    ``implicit`` figures are never shown but a reader can get them by subtraction (people
    found not eligible: requests minus eligible; open cases: cases minus completed ones): they
    are sensitive like the others when small, and protected the same way.

    ``known`` figures are not published but a reader may know them anyway (how many cases came
    from requests of another period, which is none at all on a page without a period): the
    audit assumes the reader has them, so they always bound the search, and are never hidden
    nor returned.
    """
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    if any(v < 0 for v in atoms.values()):
        raise ValueError("atoms are counts: none may be negative")
    keys = [f.key for f in figures]
    every = [*figures, *implicit, *known]
    if len({f.key for f in every}) != len(every):
        raise ValueError("figure keys must be unique")
    names = sorted(atoms)
    for f in every:
        if not f.atoms <= atoms.keys():
            raise ValueError(f"figure {f.key} names an unknown atom")
    values = {f.key: _value(f, atoms) for f in every}
    known_keys = {f.key for f in known}
    sensitive = frozenset(k for k, v in values.items() if 0 < v < threshold and k not in known_keys)
    hidden: set[str] = set(sensitive) | {f.key for f in implicit}

    def shown() -> dict[str, int]:
        return {k: v for k, v in values.items() if k not in hidden}

    def exposed(ranges: Mapping[str, tuple[float, float]]) -> list[str]:
        return sorted(
            (k for k, (_lo, hi) in ranges.items() if hi < threshold - _EPS),
            key=lambda k: (ranges[k][1], values[k], k),
        )

    while sensitive:
        ranges = feasible_ranges(names, every, shown(), sorted(sensitive))
        weak = exposed(ranges)
        if not weak:
            break
        worst = weak[0]
        candidates = sorted(
            (k for k in keys if k not in hidden and values[k] > 0), key=lambda k: (values[k], k)
        )
        best: tuple[float, str] | None = None
        for candidate in candidates:
            hidden.add(candidate)
            _lo, hi = feasible_ranges(names, every, shown(), [worst], low=False)[worst]
            hidden.discard(candidate)
            if hi >= threshold - _EPS:  # smallest figure that protects the worst one: take it
                best = (hi, candidate)
                break
            if hi > ranges[worst][1] + _EPS and (best is None or hi > best[0] + _EPS):
                best = (hi, candidate)
        if best is None:
            # No single figure widens it (two or more pin it down together, e.g. a total that
            # appears twice): hide the smallest figure that shares an atom with it, and go on.
            atoms_of_worst = next(f.atoms for f in every if f.key == worst)
            touching = sorted(
                (f.key for f in figures if f.key not in hidden and f.atoms & atoms_of_worst),
                key=lambda k: (values[k] == 0, values[k], k),
            )
            if not touching:  # nothing shown touches it: hide everything rather than leak
                hidden.update(keys)
                break
            best = (0.0, touching[0])
        hidden.add(best[1])
    return Protected(
        values={k: (None if k in hidden else values[k]) for k in keys},
        sensitive=frozenset(k for k in sensitive if k in keys),
    )
