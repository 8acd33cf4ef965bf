"""Small-cell suppression, attacked: can the published table give a suppressed cell away?"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from amparo.stats.suppression import SuppressedTable, suppress, suppress_counts


def attack(published: SuppressedTable) -> dict[tuple[int, int], tuple[float, float]]:
    """The attacker's view: every hidden figure (cells and margins) is an unknown >= 0,
    every row and column gives an equation; each hidden interior cell's min and max."""
    nrows = len(published.cells)
    ncols = len(published.cells[0])
    grid: list[list[int | None]] = [
        [*row, published.row_totals[i]] for i, row in enumerate(published.cells)
    ]
    grid.append([*published.col_totals, published.grand_total])
    unknowns = [(i, j) for i in range(nrows + 1) for j in range(ncols + 1) if grid[i][j] is None]
    if not unknowns:
        return {}
    pos = {c: k for k, c in enumerate(unknowns)}
    a_rows, b = [], []
    equations = [
        [((i, j), -1 if j == ncols else 1) for j in range(ncols + 1)] for i in range(nrows + 1)
    ]
    equations += [
        [((i, j), -1 if i == nrows else 1) for i in range(nrows + 1)] for j in range(ncols + 1)
    ]
    for eq in equations:
        coeffs = np.zeros(len(unknowns))
        rhs = 0.0
        for cell, sign in eq:
            value = grid[cell[0]][cell[1]]
            if value is None:
                coeffs[pos[cell]] += sign
            else:
                rhs -= sign * value
        if coeffs.any():
            a_rows.append(coeffs)
            b.append(rhs)
    ranges = {}
    for cell in unknowns:
        if cell[0] == nrows or cell[1] == ncols:
            continue
        c = np.zeros(len(unknowns))
        c[pos[cell]] = 1
        lo = linprog(c, A_eq=np.array(a_rows), b_eq=np.array(b), bounds=(0, None), method="highs")
        hi = linprog(-c, A_eq=np.array(a_rows), b_eq=np.array(b), bounds=(0, None), method="highs")
        assert lo.status == 0
        ranges[cell] = (lo.fun, float("inf") if hi.status == 3 else -hi.fun)
    return ranges


def brute_force_determined(
    table: list[list[int]], published: SuppressedTable
) -> set[tuple[int, int]]:
    """Enumerate every integer table consistent with what was published (small tables only)."""
    nrows, ncols = len(table), len(table[0])
    hidden = [(i, j) for i in range(nrows) for j in range(ncols) if published.cells[i][j] is None]
    limit = sum(map(sum, table))
    seen: dict[tuple[int, int], set[int]] = {c: set() for c in hidden}
    for values in itertools.product(range(limit + 1), repeat=len(hidden)):
        candidate = [row[:] for row in table]
        for (i, j), v in zip(hidden, values, strict=True):
            candidate[i][j] = v
        rows_ok = all(
            published.row_totals[i] is None or sum(candidate[i]) == published.row_totals[i]
            for i in range(nrows)
        )
        cols_ok = all(
            published.col_totals[j] is None
            or sum(candidate[i][j] for i in range(nrows)) == published.col_totals[j]
            for j in range(ncols)
        )
        total_ok = (
            published.grand_total is None or sum(map(sum, candidate)) == published.grand_total
        )
        if rows_ok and cols_ok and total_ok:
            for (i, j), v in zip(hidden, values, strict=True):
                seen[(i, j)].add(v)
    return {c for c, vs in seen.items() if len(vs) == 1}


def check_published(table: list[list[int]], published: SuppressedTable, threshold: int) -> None:
    for i, row in enumerate(table):
        for j, value in enumerate(row):
            shown = published.cells[i][j]
            if 0 < value < threshold:
                assert shown is None, "a small cell was published"
            if shown is not None:
                assert shown == value
    for i, row in enumerate(table):
        if published.row_totals[i] is not None:
            assert published.row_totals[i] == sum(row)
            assert not 0 < sum(row) < threshold
    for lo, hi in attack(published).values():
        assert hi - lo >= 1, "a suppressed cell is uniquely determined by the margins"


def test_a_lone_small_cell_gets_a_complement_in_its_row_and_column() -> None:
    table = [[3, 20, 30], [15, 12, 40], [25, 30, 22]]
    published = suppress(table)
    assert published.cells[0][0] is None
    assert sum(v is None for v in published.cells[0]) >= 2
    assert sum(published.cells[i][0] is None for i in range(3)) >= 2
    assert published.grand_total == sum(map(sum, table))
    check_published(table, published, 11)


def test_nothing_small_nothing_hidden() -> None:
    table = [[11, 20], [0, 40]]
    published = suppress(table)
    assert published.cells == ((11, 20), (0, 40))
    assert published.row_totals == (31, 40)
    assert published.suppressed_count == 0


def test_threshold_is_configurable() -> None:
    table = [[5, 20], [30, 40]]
    assert suppress(table, threshold=5).suppressed_count == 0
    assert suppress(table, threshold=6).cells[0][0] is None


def test_small_margin_is_hidden_with_its_cells() -> None:
    published = suppress([[2, 3], [50, 60]])
    assert published.row_totals[0] is None
    assert published.cells[0] == (None, None)
    check_published([[2, 3], [50, 60]], published, 11)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        suppress([[1, 2], [3]])
    with pytest.raises(ValueError):
        suppress([[-1]])
    with pytest.raises(ValueError):
        suppress([[1]], threshold=0)


def test_counts_list() -> None:
    assert suppress_counts([40, 50, 60]) == [40, 50, 60]
    shown = suppress_counts([40, 5, 60])
    assert shown[1] is None
    assert shown.count(None) >= 2  # the total is published, so one more goes


def test_the_attacker_would_win_without_complements() -> None:
    """The attack is real: against primary suppression alone it recovers the cell."""
    table = [[3, 20, 30], [15, 12, 40], [25, 30, 22]]
    naive = SuppressedTable(
        cells=((None, 20, 30), (15, 12, 40), (25, 30, 22)),
        row_totals=(53, 67, 77),
        col_totals=(43, 62, 92),
        grand_total=197,
        primary=frozenset({(0, 0)}),
    )
    ranges = attack(naive)
    assert ranges[(0, 0)] == (3, 3)
    assert brute_force_determined(table, naive) == {(0, 0)}


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=1, max_value=4).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(min_value=0, max_value=40), min_size=cols, max_size=cols),
            min_size=1,
            max_size=4,
        )
    ),
    st.integers(min_value=2, max_value=15),
)
def test_no_suppressed_cell_can_be_reconstructed(table: list[list[int]], threshold: int) -> None:
    published = suppress(table, threshold)
    check_published(table, published, threshold)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=6), min_size=2, max_size=2),
        min_size=2,
        max_size=2,
    )
)
def test_integer_enumeration_finds_nothing_either(table: list[list[int]]) -> None:
    published = suppress(table, threshold=4)
    assert brute_force_determined(table, published) == set()
