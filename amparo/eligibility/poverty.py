"""The HHS poverty guidelines, as data by year and region (pure Python, no Django).

Figures are whole dollars per year. A table gives the guideline for one person and the increment
for each additional person; the guideline for a household of ``n`` is
``first_person + (n - 1) * additional_person``.

Only figures that were confirmed are shipped as verified; a figure that could not be confirmed
is not shipped at all (nothing here guesses one), and a table whose figures were not all
confirmed is marked ``verified=False`` and is never used to decide.

=====  ===========================  =================  ================  ===================
year   region                       one person         each additional   household of four
=====  ===========================  =================  ================  ===================
2024   48 states and DC             $15,060            $5,380            $31,200
2024   Alaska                       $18,810            $6,730            $39,000
2024   Hawaii                       $17,310            $6,190            $35,880
2025   48 states and DC             $15,650            $5,500            $32,150
2025   Alaska                       $19,550            $6,880            $40,190
2025   Hawaii                       $17,990            $6,330            $36,980
2026   48 states and DC             $15,960            $5,680            $33,000
=====  ===========================  =================  ================  ===================

Sources: the HHS poverty guidelines for 2024 and for 2025; for 2026,
Federal Register 2026-00755 (effective January 13, 2026).

The 2026 Alaska and Hawaii figures are not shipped: they could not be confirmed from the
sources at hand. Until a fund administrator adds them (region ``alaska`` or ``hawaii``) a
program there set to 2026 falls back to 2025, and every such screening goes to review.
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


#: The tables shipped with Amparo. The intake app copies them into the database (migrations
#: 0002 and 0003), where a fund administrator can confirm or add one; the database copy wins.
SHIPPED: tuple[PovertyTable, ...] = (
    PovertyTable(
        year=2024,
        region=CONTIGUOUS,
        first_person=15_060,
        additional_person=5_380,
        verified=True,
        source="HHS poverty guidelines for 2024, 48 contiguous states and DC",
    ),
    PovertyTable(
        year=2024,
        region=ALASKA,
        first_person=18_810,
        additional_person=6_730,
        verified=True,
        source="HHS poverty guidelines for 2024, Alaska",
    ),
    PovertyTable(
        year=2024,
        region=HAWAII,
        first_person=17_310,
        additional_person=6_190,
        verified=True,
        source="HHS poverty guidelines for 2024, Hawaii",
    ),
    PovertyTable(
        year=2025,
        region=CONTIGUOUS,
        first_person=15_650,
        additional_person=5_500,
        verified=True,
        source="HHS poverty guidelines for 2025, 48 contiguous states and DC",
    ),
    PovertyTable(
        year=2025,
        region=ALASKA,
        first_person=19_550,
        additional_person=6_880,
        verified=True,
        source="HHS poverty guidelines for 2025, Alaska",
    ),
    PovertyTable(
        year=2025,
        region=HAWAII,
        first_person=17_990,
        additional_person=6_330,
        verified=True,
        source="HHS poverty guidelines for 2025, Hawaii",
    ),
    PovertyTable(
        year=2026,
        region=CONTIGUOUS,
        first_person=15_960,
        additional_person=5_680,
        verified=True,
        source="Federal Register 2026-00755 (effective 2026-01-13), 48 contiguous states and DC",
    ),
)


@dataclass(frozen=True, slots=True)
class TableChoice:
    """Which table screening used, and why, when it is not the one the program asked for.

    ``fallback_from`` is the year asked for when an older verified table was used instead (a
    screening on it is only ever a review);
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

    A verified table of that year and region is used as is. With no table for that year, the
    newest verified table of an earlier year is used and the choice says so (screening then
    asks a person to review: it never refuses anyone on an older table). With an unverified
    table for that year: with ``fallback`` likewise; without it the unverified table is
    returned flagged, and screening asks a person to confirm instead of deciding.
    """
    same_region = [t for t in tables if t.region == region]
    exact = next((t for t in same_region if t.year == year), None)
    if exact is not None and exact.verified:
        return TableChoice(table=exact, requested_year=year)
    if exact is None or fallback:
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
