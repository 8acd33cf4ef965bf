"""The HHS poverty tables: every shipped figure checked against its published total, none guessed."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amparo.eligibility import poverty
from amparo.eligibility.poverty import (
    ALASKA,
    CONTIGUOUS,
    HAWAII,
    SHIPPED,
    PovertyTable,
    PovertyTableError,
    choose_table,
)

TABLES = {(t.year, t.region): t for t in SHIPPED}
T2025 = TABLES[2025, CONTIGUOUS]
T2026 = TABLES[2026, CONTIGUOUS]


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


#: The household-of-four figures as HHS published them; each shipped table must give its own.
PUBLISHED_FOUR = {
    (2024, CONTIGUOUS): 31_200,
    (2024, ALASKA): 39_000,
    (2024, HAWAII): 35_880,
    (2025, CONTIGUOUS): 32_150,
    (2025, ALASKA): 40_190,
    (2025, HAWAII): 36_980,
    (2026, CONTIGUOUS): 33_000,
}


@pytest.mark.parametrize(("key", "four"), sorted(PUBLISHED_FOUR.items()))
def test_each_shipped_table_gives_its_published_total_for_four(
    key: tuple[int, str], four: int
) -> None:
    table = TABLES[key]
    assert table.verified and table.complete
    assert table.guideline(4) == four


def test_2026_for_the_48_states_and_dc() -> None:
    assert (T2026.first_person, T2026.additional_person) == (15_960, 5_680)
    assert T2026.guideline(4) == 33_000 and T2026.verified


def test_every_shipped_table_is_checked_and_no_unconfirmed_figure_is_shipped() -> None:
    # 2026 Alaska and Hawaii could not be confirmed: they are left out, not guessed.
    assert set(TABLES) == set(PUBLISHED_FOUR)
    assert (2026, ALASKA) not in TABLES and (2026, HAWAII) not in TABLES


def test_a_year_with_no_table_falls_back_to_the_newest_older_one_and_says_so() -> None:
    for fallback in (True, False):
        choice = choose_table(SHIPPED, year=2027, region=CONTIGUOUS, fallback=fallback)
        assert choice.table == T2026 and choice.fallback_from == 2027
    alaska = choose_table(SHIPPED, year=2026, region=ALASKA, fallback=False)
    assert alaska.table == TABLES[2025, ALASKA] and alaska.fallback_from == 2026


def test_an_unverified_table_falls_back_or_asks_for_review() -> None:
    unverified = PovertyTable(
        year=2027, region=CONTIGUOUS, first_person=16_000, additional_person=None, verified=False
    )
    tables = [*SHIPPED, unverified]
    choice = choose_table(tables, year=2027, region=CONTIGUOUS, fallback=True)
    assert choice.table == T2026 and choice.fallback_from == 2027 and not choice.unverified
    choice = choose_table(tables, year=2027, region=CONTIGUOUS, fallback=False)
    assert choice.table == unverified and choice.unverified and choice.fallback_from is None
    assert unverified.guideline(1) == 16_000
    with pytest.raises(PovertyTableError):
        unverified.guideline(2)


def test_a_confirmed_table_is_used_as_is() -> None:
    unverified = PovertyTable(
        year=2027, region=CONTIGUOUS, first_person=16_000, additional_person=None, verified=False
    )
    confirmed = unverified.confirmed(5_700, "checked by a fund administrator")
    tables = poverty.merged(SHIPPED, [confirmed])
    choice = choose_table(tables, year=2027, region=CONTIGUOUS, fallback=True)
    assert choice.table == confirmed and choice.fallback_from is None
    assert confirmed.guideline(3) == 16_000 + 2 * 5_700


def test_no_older_table_gives_none() -> None:
    assert choose_table(SHIPPED, year=2023, region=ALASKA, fallback=True).table is None


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
