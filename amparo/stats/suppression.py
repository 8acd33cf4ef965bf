"""Small-cell suppression for two-way tables published with their margins.

A table of non-negative counts is published with its row totals, column totals and grand
total. Cells below the threshold (but above zero) are *primary* suppressions. Because the
margins are published, a lone suppressed cell in a row or column can be recovered by
subtraction, so *complementary* cells are suppressed too: whenever a line (row or column,
margin included) holds exactly one suppressed cell, the smallest non-zero published cell of
that line is suppressed as well, until no line changes. Margins that are themselves small are
suppressed like cells.

The line rule is necessary, not sufficient (a suppressed cell can still be pinned down by a
chain of equations, or by non-negativity). So the result is audited: every suppressed cell's
feasible range is computed exactly with a linear program over the published constraints, and
while any suppressed cell is uniquely determined another complementary cell is added. The
audit is what the test suite's reconstruction attack re-does independently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

DEFAULT_THRESHOLD = 11


@dataclass(frozen=True)
class SuppressedTable:
    """A table ready to publish: ``None`` marks a suppressed figure."""

    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    col_totals: tuple[int | None, ...]
    grand_total: int | None
    primary: frozenset[tuple[int, int]]

    @property
    def suppressed_count(self) -> int:
        return sum(v is None for row in self.cells for v in row)


def _augment(table: Sequence[Sequence[int]]) -> list[list[int]]:
    rows = [list(r) for r in table]
    ncols = len(rows[0]) if rows else 0
    aug = [[*r, sum(r)] for r in rows]
    col = [sum(r[j] for r in rows) for j in range(ncols)]
    aug.append([*col, sum(col)])
    return aug


def _lines(nrows: int, ncols: int) -> list[list[tuple[int, int]]]:
    """Each published equation as the augmented cells it ties together."""
    lines: list[list[tuple[int, int]]] = []
    for i in range(nrows + 1):
        lines.append([(i, j) for j in range(ncols + 1)])
    for j in range(ncols + 1):
        lines.append([(i, j) for i in range(nrows + 1)])
    return lines


def feasible_ranges(
    aug: Sequence[Sequence[int]], hidden: set[tuple[int, int]]
) -> dict[tuple[int, int], tuple[float, float]]:
    """Min and max of each hidden augmented cell given everything published.

    Unknowns are the hidden cells (interior and margins), all >= 0; each row and column of
    the augmented table gives one equation: interior cells sum to the margin.
    """
    order = sorted(hidden)
    if not order:
        return {}
    index = {c: k for k, c in enumerate(order)}
    nrows = len(aug) - 1
    ncols = len(aug[0]) - 1
    a_eq: list[list[float]] = []
    b_eq: list[float] = []
    for line in _lines(nrows, ncols):
        coeffs = [0.0] * len(order)
        rhs = 0.0
        involved = False
        for i, j in line:
            # interior cells minus the line's margin is zero; the corner is a margin for both
            if line[0][0] == line[-1][0]:  # a row: margin is the last column
                sign = -1.0 if j == ncols else 1.0
            else:  # a column: margin is the last row
                sign = -1.0 if i == nrows else 1.0
            if (i, j) in index:
                coeffs[index[(i, j)]] += sign
                involved = True
            else:
                rhs -= sign * aug[i][j]
        if involved:
            a_eq.append(coeffs)
            b_eq.append(rhs)
    a = np.array(a_eq)
    b = np.array(b_eq)
    bounds = [(0.0, None)] * len(order)
    out: dict[tuple[int, int], tuple[float, float]] = {}
    for cell, k in index.items():
        c = np.zeros(len(order))
        c[k] = 1.0
        low = linprog(c, A_eq=a, b_eq=b, bounds=bounds, method="highs")
        high = linprog(-c, A_eq=a, b_eq=b, bounds=bounds, method="highs")
        hi = float("inf") if high.status == 3 else -float(high.fun)
        out[cell] = (float(low.fun), hi)
    return out


def _smallest_candidate(
    aug: Sequence[Sequence[int]], line: list[tuple[int, int]], hidden: set[tuple[int, int]]
) -> tuple[int, int] | None:
    candidates = [c for c in line if c not in hidden and aug[c[0]][c[1]] > 0]
    if not candidates:
        candidates = [c for c in line if c not in hidden]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (aug[c[0]][c[1]], c))


def suppress(table: Sequence[Sequence[int]], threshold: int = DEFAULT_THRESHOLD) -> SuppressedTable:
    """Suppress small cells of ``table`` (rows of non-negative counts) and their complements."""
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    if not table or not table[0]:
        return SuppressedTable((), (), (), 0, frozenset())
    width = len(table[0])
    if any(len(r) != width for r in table) or any(v < 0 for r in table for v in r):
        raise ValueError("table must be rectangular with non-negative counts")
    aug = _augment(table)
    nrows, ncols = len(table), width
    hidden: set[tuple[int, int]] = {
        (i, j) for i in range(nrows + 1) for j in range(ncols + 1) if 0 < aug[i][j] < threshold
    }
    primary = frozenset(c for c in hidden if c[0] < nrows and c[1] < ncols)
    lines = _lines(nrows, ncols)
    while True:
        changed = True
        while changed:
            changed = False
            for line in lines:
                if sum(c in hidden for c in line) == 1:
                    extra = _smallest_candidate(aug, line, hidden)
                    if extra is not None:
                        hidden.add(extra)
                        changed = True
        if not hidden:
            break
        ranges = feasible_ranges(aug, hidden)
        exposed = sorted(
            (c for c, (lo, hi) in ranges.items() if hi - lo < 0.5), key=lambda c: aug[c[0]][c[1]]
        )
        if not exposed:
            break
        # widen the smallest exposed cell: hide the smallest published cell in one of its lines
        cell = exposed[0]
        added = False
        for line in lines:
            if cell in line:
                extra = _smallest_candidate(aug, line, hidden)
                if extra is not None:
                    hidden.add(extra)
                    added = True
                    break
        if not added:  # everything in its lines is hidden already: hide the whole table
            hidden.update((i, j) for i in range(nrows + 1) for j in range(ncols + 1))
            break
    cells = tuple(
        tuple(None if (i, j) in hidden else aug[i][j] for j in range(ncols)) for i in range(nrows)
    )
    row_totals = tuple(None if (i, ncols) in hidden else aug[i][ncols] for i in range(nrows))
    col_totals = tuple(None if (nrows, j) in hidden else aug[nrows][j] for j in range(ncols))
    grand = None if (nrows, ncols) in hidden else aug[nrows][ncols]
    return SuppressedTable(cells, row_totals, col_totals, grand, primary)


def suppress_counts(counts: Sequence[int], threshold: int = DEFAULT_THRESHOLD) -> list[int | None]:
    """A one-column table (categories and their total): the same rule as :func:`suppress`."""
    result = suppress([[c] for c in counts], threshold)
    return [row[0] for row in result.cells]
