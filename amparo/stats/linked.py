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
is audited exactly the way an attacker would attack it (:meth:`_Program.ranges`: the least
and largest value each hidden figure can take), and the tests re-do that attack independently.

Atoms are never published themselves unless a figure is made of one atom. Pure Python plus
NumPy and HiGHS (``highspy``: one model per page, kept warm while the search changes which
figures are shown); no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import highspy
import numpy as np
from highspy import _core

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


class _Program:
    """The attacker's linear program for one page, kept in one HiGHS model: a column per atom
    (``>= 0``), a row per figure, fixed to its value while the figure is shown and free while it
    is hidden. Hiding or showing a figure changes one row's bounds, so HiGHS starts each solve
    from the last basis instead of building the program again."""

    def __init__(self, atoms: Sequence[str], figures: Sequence[Figure]) -> None:
        self.index = {a: k for k, a in enumerate(atoms)}
        self.figures = {f.key: f for f in figures}
        self.row = {f.key: r for r, f in enumerate(figures)}
        # The solver core without highspy's modelling layer, whose constructor prints HiGHS's
        # banner on standard output before any option can silence it (a command that prints
        # JSON must print nothing else).
        self.highs = _core._Highs()
        self.highs.setOptionValue("output_flag", False)
        inf = highspy.kHighsInf
        n = len(atoms)
        self.columns = np.arange(n, dtype=np.int32)
        if n:
            self.highs.addVars(n, np.zeros(n), np.full(n, inf))
        for f in figures:
            cols = np.array(sorted(self.index[a] for a in f.atoms), dtype=np.int32)
            self.highs.addRow(-inf, inf, len(cols), cols, np.ones(len(cols)))
        self.fixed: dict[str, int] = {}

    def show(self, shown: Mapping[str, int]) -> None:
        """Fix the rows of ``shown`` to their values and free every other row."""
        inf = highspy.kHighsInf
        for key in [k for k in self.fixed if k not in shown]:
            self.highs.changeRowBounds(self.row[key], -inf, inf)
            del self.fixed[key]
        for key, value in shown.items():
            if self.fixed.get(key) != value:
                self.highs.changeRowBounds(self.row[key], float(value), float(value))
                self.fixed[key] = value

    def extreme(self, key: str, *, largest: bool) -> float:
        """The least or largest value figure ``key`` can take; ``inf`` when unbounded above."""
        cost = np.zeros(len(self.columns))
        for atom in self.figures[key].atoms:
            cost[self.index[atom]] = 1.0
        self.highs.changeColsCost(len(self.columns), self.columns, cost)
        sense = highspy.ObjSense.kMaximize if largest else highspy.ObjSense.kMinimize
        self.highs.changeObjectiveSense(sense)
        self.highs.run()
        status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            return float(self.highs.getInfo().objective_function_value)
        if largest and status in (
            highspy.HighsModelStatus.kUnbounded,
            highspy.HighsModelStatus.kUnboundedOrInfeasible,  # the real counts are feasible
        ):
            return float("inf")
        # the shown figures contradict each other: cannot happen for real data
        raise ValueError("the published figures are inconsistent")

    def ranges(self, targets: Sequence[str], *, low: bool = True) -> dict[str, tuple[float, float]]:
        """Min and max of each target over what is shown now (``inf``: unbounded). With
        ``low=False`` only the max is solved for (the min is reported as 0.0, its bound): the
        search for a figure to hide asks only how large a hidden figure could be."""
        constrained = frozenset().union(*(self.figures[k].atoms for k in self.fixed))
        out: dict[str, tuple[float, float]] = {}
        for key in targets:
            lo = self.extreme(key, largest=False) if low else 0.0
            if not self.figures[key].atoms <= constrained:
                out[key] = (lo, float("inf"))  # an atom nothing shown names grows alone
            else:
                out[key] = (lo, self.extreme(key, largest=True))
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

    program = _Program(names, every)

    def shown() -> dict[str, int]:
        return {k: v for k, v in values.items() if k not in hidden}

    def ranges_of(targets: Sequence[str], *, low: bool = True) -> dict[str, tuple[float, float]]:
        program.show(shown())
        return program.ranges(targets, low=low)

    def exposed(ranges: Mapping[str, tuple[float, float]]) -> list[str]:
        return sorted(
            (k for k, (_lo, hi) in ranges.items() if hi < threshold - _EPS),
            key=lambda k: (ranges[k][1], values[k], k),
        )

    while sensitive:
        ranges = ranges_of(sorted(sensitive))
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
            _lo, hi = ranges_of([worst], low=False)[worst]
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
