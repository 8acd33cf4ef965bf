"""The HHS poverty tables: 2025 figures as published, 2026 shipped unverified and never guessed."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amparo.eligibility import poverty
from amparo.eligibility.poverty import (
    CONTIGUOUS,
    SHIPPED,
    PovertyTable,
    PovertyTableError,
    choose_table,
)

T2025 = next(t for t in SHIPPED if t.year == 2025)
T2026 = next(t for t in SHIPPED if t.year == 2026)


@pytest.mark.parametrize(
    ("size", "guideline", "limit_200"),
    [
        (1, 15_650, 31_300),
        (2, 21_150, 42_300),
        (3, 26_650, 53_300),
        (4, 32_150, 64_300),
        (8, 54_150, 108_300),
    ],
)
def test_2025_guidelines_for_the_48_states_and_dc(
    size: Any, guideline: Any, limit_200: Any
) -> None:
    assert T2025.verified and T2025.region == CONTIGUOUS
    assert T2025.guideline(size) == guideline
    assert T2025.limit(size, 200) == limit_200


def test_2026_is_shipped_unverified_with_no_invented_increment() -> None:
    assert T2026.first_person == 15_960
    assert T2026.additional_person is None and not T2026.verified
    assert T2026.guideline(1) == 15_960
    with pytest.raises(PovertyTableError):
        T2026.guideline(2)


def test_only_the_48_state_tables_are_shipped() -> None:
    assert {(t.year, t.region) for t in SHIPPED} == {(2025, CONTIGUOUS), (2026, CONTIGUOUS)}


def test_a_program_set_to_2026_falls_back_to_2025_and_says_so() -> None:
    choice = choose_table(SHIPPED, year=2026, region=CONTIGUOUS, fallback=True)
    assert choice.table == T2025 and choice.fallback_from == 2026 and not choice.unverified


def test_a_program_set_to_2026_without_fallback_asks_for_review() -> None:
    choice = choose_table(SHIPPED, year=2026, region=CONTIGUOUS, fallback=False)
    assert choice.table == T2026 and choice.unverified and choice.fallback_from is None


def test_a_confirmed_2026_table_is_used_as_is() -> None:
    confirmed = T2026.confirmed(5_680, "checked by a fund administrator")
    tables = poverty.merged(SHIPPED, [confirmed])
    choice = choose_table(tables, year=2026, region=CONTIGUOUS, fallback=True)
    assert choice.table == confirmed and choice.fallback_from is None
    assert confirmed.guideline(3) == 15_960 + 2 * 5_680


def test_no_table_for_a_region_gives_none() -> None:
    assert choose_table(SHIPPED, year=2025, region=poverty.ALASKA, fallback=True).table is None


@pytest.mark.parametrize("size", [0, -1, 31])
def test_household_sizes_outside_1_to_30_are_refused(size: Any) -> None:
    with pytest.raises(PovertyTableError):
        T2025.guideline(size)


def test_a_verified_table_needs_its_increment() -> None:
    with pytest.raises(ValueError):
        PovertyTable(
            year=2030, region=CONTIGUOUS, first_person=1, additional_person=None, verified=True
        )


@given(size=st.integers(1, 29), percent=st.integers(1, 1000))
def test_limits_grow_with_household_and_never_exceed_the_percentage(
    size: Any, percent: Any
) -> None:
    assert T2025.limit(size + 1, percent) > T2025.limit(size, percent) or percent * 5_500 < 100
    assert T2025.limit(size, percent) * 100 <= T2025.guideline(size) * percent
