"""The HHS poverty guidelines, as data by year and region (pure Python, no Django).

Figures are whole dollars per year. A table gives the guideline for one person and the increment
for each additional person; the guideline for a household of ``n`` is
``first_person + (n - 1) * additional_person``.

Only figures read from the sources at hand are shipped, and a table whose figures were not all
confirmed is marked ``verified=False``:

- 2025, the 48 contiguous states and the District of Columbia: $15,650 for one person plus
  $5,500 for each additional person (HHS, 2025 poverty guidelines). Verified.
- 2026, the same region: $15,960 for one person (Federal Register 2026-00755, effective January
  13, 2026). The per-person increment was not confirmed, so it is ``None`` and the table is
  unverified until a fund administrator confirms it (and enters the increment). Nothing here
  guesses it.

Alaska and Hawaii have tables of their own; none are shipped because their figures were not
confirmed from the sources at hand. A fund there adds its table (region ``alaska`` or
``hawaii``) through the same confirmation page before screening people.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

CONTIGUOUS = "contiguous"
ALASKA = "alaska"
HAWAII = "hawaii"
REGIONS: tuple[str, ...] = (CONTIGUOUS, ALASKA, HAWAII)

#: Households larger than this are refused as input errors rather than computed.
MAX_HOUSEHOLD = 30


class PovertyTableError(ValueError):
    """A table cannot answer the question (missing increment, bad household size)."""


@dataclass(frozen=True, slots=True)
class PovertyTable:
    year: int
    region: str
    first_person: int
    additional_person: int | None
    verified: bool
    source: str = ""

    def __post_init__(self) -> None:
        if self.region not in REGIONS:
            raise ValueError(f"unknown region {self.region!r}")
        if self.first_person <= 0:
            raise ValueError("the guideline for one person must be positive")
        if self.additional_person is not None and self.additional_person <= 0:
            raise ValueError("the increment per person must be positive")
        if self.verified and self.additional_person is None:
            raise ValueError("a verified table needs its increment per person")

    @property
    def complete(self) -> bool:
        return self.additional_person is not None

    def guideline(self, household_size: int) -> int:
        """The poverty guideline in dollars for ``household_size`` people."""
        if not 1 <= household_size <= MAX_HOUSEHOLD:
            raise PovertyTableError(f"household size must be 1 to {MAX_HOUSEHOLD}")
        if household_size == 1:
            return self.first_person
        if self.additional_person is None:
            raise PovertyTableError(f"the {self.year} table has no confirmed increment per person")
        return self.first_person + (household_size - 1) * self.additional_person

    def limit(self, household_size: int, percent: int) -> int:
        """``percent`` of the guideline, in whole dollars, rounded down (never above the line)."""
        if percent <= 0:
            raise ValueError("percent must be positive")
        return self.guideline(household_size) * percent // 100

    def confirmed(self, additional_person: int, source: str = "") -> PovertyTable:
        """This table with its increment confirmed."""
        return replace(
            self, additional_person=additional_person, verified=True, source=source or self.source
        )


#: The tables shipped with Amparo. The intake app copies them into the database, where a fund
#: administrator can confirm an unverified one; the database copy then wins.
SHIPPED: tuple[PovertyTable, ...] = (
    PovertyTable(
        year=2025,
        region=CONTIGUOUS,
        first_person=15_650,
        additional_person=5_500,
        verified=True,
        source="HHS poverty guidelines for 2025, 48 contiguous states and DC",
    ),
    PovertyTable(
        year=2026,
        region=CONTIGUOUS,
        first_person=15_960,
        additional_person=None,
        verified=False,
        source="Federal Register 2026-00755 (effective 2026-01-13); increment per person not confirmed",
    ),
)


@dataclass(frozen=True, slots=True)
class TableChoice:
    """Which table screening used, and why, when it is not the one the program asked for.

    ``fallback_from`` is the year asked for when an older verified table was used instead;
    ``unverified`` is set when the table used is not verified (the program asked for review).
    """

    table: PovertyTable | None
    requested_year: int
    fallback_from: int | None = None
    unverified: bool = False


def choose_table(
    tables: Iterable[PovertyTable], *, year: int, region: str, fallback: bool
) -> TableChoice:
    """The table to screen with for a program set to ``year``.

    A verified table of that year and region is used as is. If it is missing or unverified:
    with ``fallback`` the latest verified table of an earlier year is used (and the choice says
    so); without it the unverified table is returned flagged, and screening asks a person to
    confirm instead of deciding.
    """
    same_region = [t for t in tables if t.region == region]
    exact = next((t for t in same_region if t.year == year), None)
    if exact is not None and exact.verified:
        return TableChoice(table=exact, requested_year=year)
    if fallback:
        older = sorted(
            (t for t in same_region if t.verified and t.year < year), key=lambda t: t.year
        )
        if older:
            return TableChoice(table=older[-1], requested_year=year, fallback_from=year)
        return TableChoice(table=None, requested_year=year, fallback_from=year)
    return TableChoice(table=exact, requested_year=year, unverified=True)


def merged(shipped: Iterable[PovertyTable], stored: Iterable[PovertyTable]) -> list[PovertyTable]:
    """The shipped tables overlaid by stored ones (same year and region: the stored one wins)."""
    by_key: dict[tuple[int, str], PovertyTable] = {(t.year, t.region): t for t in shipped}
    by_key.update({(t.year, t.region): t for t in stored})
    return sorted(by_key.values(), key=lambda t: (t.region, t.year))
