"""A program's eligibility rules and the screening of one applicant (pure Python, no Django).

Screening never guesses. Each criterion answers ``PASS``, ``FAIL`` or ``UNKNOWN`` with a reason
code and its parameters; the decision is ``ELIGIBLE`` when every criterion passes,
``INELIGIBLE`` when one fails, and ``REVIEW`` (a person decides) otherwise. Reason codes are
stable strings: the intake app turns them into sentences in the person's language.

Merits-blind by design: nothing here weighs the strength of a case.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from .poverty import CONTIGUOUS, MAX_HOUSEHOLD, PovertyTable, PovertyTableError, choose_table
from .zipcounty import county_key

DETAINED = "detained"
NEVER_DETAINED = "never_detained"
RELEASED = "released"
CUSTODIES: tuple[str, ...] = (DETAINED, NEVER_DETAINED, RELEASED)


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"


class Decision(StrEnum):
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    REVIEW = "review"


@dataclass(frozen=True, slots=True)
class Reason:
    """One criterion's answer: ``code`` names the sentence, ``params`` fill it in."""

    criterion: str
    outcome: Outcome
    code: str
    params: tuple[tuple[str, str | int], ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "criterion": self.criterion,
            "outcome": str(self.outcome),
            "code": self.code,
            "params": dict(self.params),
        }


def _norm(value: str) -> str:
    return " ".join(value.casefold().split())


def _zip5(value: str) -> str:
    digits = "".join(c for c in value if c.isdigit())
    return digits[:5]


@dataclass(frozen=True, slots=True)
class Rules:
    """What one program requires. Empty collections mean "no requirement"."""

    income_percent: int | None = 200
    poverty_year: int = 2025
    poverty_region: str = CONTIGUOUS
    #: With the requested year unverified: True compares with the latest verified older year,
    #: False does not compare at all. Either way a person reviews: nothing is decided on it.
    fallback_to_verified: bool = True
    zip_codes: frozenset[str] = frozenset()
    counties: frozenset[str] = frozenset()
    #: Being detained at one of these counts as living in the area.
    local_facilities: frozenset[str] = frozenset()
    custodies: frozenset[str] = frozenset(CUSTODIES)
    courts: frozenset[str] = frozenset()
    practice_areas: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.income_percent is not None and not 1 <= self.income_percent <= 1000:
            raise ValueError("income_percent must be 1 to 1000")
        unknown = set(self.custodies) - set(CUSTODIES)
        if unknown:
            raise ValueError(f"unknown custody values {sorted(unknown)}")


@dataclass(frozen=True, slots=True)
class Applicant:
    """What screening looks at. Income is a range in whole dollars a year (equal ends for an
    exact amount; ``None`` for an end that is not known)."""

    household_size: int | None = None
    income_low: int | None = None
    income_high: int | None = None
    zip_code: str = ""
    county: str = ""
    custody: str = ""
    facility: str = ""
    court: str = ""
    practice_area: str = ""
    #: The counties the ZIP code lies in, from a ZIP-to-county dataset (``zipcounty``); empty
    #: when not looked up or not known.
    zip_counties: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Screening:
    decision: Decision
    reasons: tuple[Reason, ...]
    poverty_year_used: int | None = None
    income_limit: int | None = None
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    @property
    def eligible(self) -> bool | None:
        """True, False, or None while a person has to review it."""
        if self.decision is Decision.REVIEW:
            return None
        return self.decision is Decision.ELIGIBLE


def _income(
    rules: Rules, applicant: Applicant, tables: Sequence[PovertyTable]
) -> tuple[Reason, int | None, int | None]:
    if rules.income_percent is None:
        return Reason("income", Outcome.PASS, "income_not_required"), None, None
    choice = choose_table(
        tables,
        year=rules.poverty_year,
        region=rules.poverty_region,
        fallback=rules.fallback_to_verified,
    )
    table = choice.table
    if table is None:
        return (
            Reason("income", Outcome.UNKNOWN, "income_no_table", (("year", rules.poverty_year),)),
            None,
            None,
        )
    size = applicant.household_size
    if size is None or not 1 <= size <= MAX_HOUSEHOLD:
        return Reason("income", Outcome.UNKNOWN, "income_household_unknown"), table.year, None
    if choice.unverified:
        return (
            Reason("income", Outcome.UNKNOWN, "income_table_unverified", (("year", table.year),)),
            table.year,
            None,
        )
    try:
        limit = table.limit(size, rules.income_percent)
    except PovertyTableError:
        return (
            Reason("income", Outcome.UNKNOWN, "income_table_unverified", (("year", table.year),)),
            table.year,
            None,
        )
    params: tuple[tuple[str, str | int], ...] = (
        ("percent", rules.income_percent),
        ("size", size),
        ("limit", limit),
        ("year", table.year),
    )
    if choice.fallback_from is not None:
        params += (("requested_year", choice.fallback_from),)
    low, high = applicant.income_low, applicant.income_high
    if low is None and high is None:
        return Reason("income", Outcome.UNKNOWN, "income_unknown", params), table.year, limit
    # On an older year's table the answer is only advice: a person decides (review), and no
    # one is refused on figures that are not the ones the program asked for.
    if high is not None and high <= limit:
        if choice.fallback_from:
            return (
                Reason("income", Outcome.UNKNOWN, "income_below_fallback", params),
                table.year,
                limit,
            )
        return Reason("income", Outcome.PASS, "income_below", params), table.year, limit
    if low is not None and low > limit:
        if choice.fallback_from:
            return (
                Reason("income", Outcome.UNKNOWN, "income_above_fallback", params),
                table.year,
                limit,
            )
        return Reason("income", Outcome.FAIL, "income_above", params), table.year, limit
    return Reason("income", Outcome.UNKNOWN, "income_range_straddles", params), table.year, limit


def _residence(rules: Rules, a: Applicant) -> Reason:
    zips = {_zip5(z) for z in rules.zip_codes}
    counties = {county_key(c) for c in rules.counties}
    facilities = {_norm(f) for f in rules.local_facilities}
    if not zips and not counties:
        return Reason("residence", Outcome.PASS, "residence_not_required")
    if a.custody == DETAINED and a.facility and _norm(a.facility) in facilities:
        return Reason(
            "residence", Outcome.PASS, "residence_local_facility", (("facility", a.facility),)
        )
    if a.zip_code and _zip5(a.zip_code) in zips:
        return Reason("residence", Outcome.PASS, "residence_zip", (("zip", _zip5(a.zip_code)),))
    if a.county and county_key(a.county) in counties:
        return Reason("residence", Outcome.PASS, "residence_county", (("county", a.county),))
    if not a.zip_code and not a.county:
        return Reason("residence", Outcome.UNKNOWN, "residence_unknown")
    if a.zip_code and a.zip_counties and counties:
        zip5 = _zip5(a.zip_code)
        inside = [c for c in a.zip_counties if county_key(c) in counties]
        named = ", ".join(a.zip_counties)
        if inside and len(inside) == len(a.zip_counties) and not a.county:
            return Reason(
                "residence",
                Outcome.PASS,
                "residence_zip_in_county",
                (("zip", zip5), ("county", named)),
            )
        if inside:
            # Part of the ZIP code (or the county the person gave) is outside: a person checks
            # the address, and sees every county involved.
            both = ", ".join(dict.fromkeys([*a.zip_counties, *([a.county] if a.county else [])]))
            return Reason(
                "residence",
                Outcome.UNKNOWN,
                "residence_zip_spans_counties",
                (("zip", zip5), ("counties", both)),
            )
        if not a.county and not zips:
            # The dataset knows one county per ZIP code, and a ZIP code can cross a county
            # line: it never refuses anyone, a person checks. (A program that lists its ZIP
            # codes has said which ones it serves.)
            return Reason(
                "residence",
                Outcome.UNKNOWN,
                "residence_zip_other_county",
                (("zip", zip5), ("county", named)),
            )
    if a.zip_code and not a.county and counties and not zips:
        # Only counties are listed and we have a ZIP code: a person maps it, we do not guess.
        return Reason("residence", Outcome.UNKNOWN, "residence_zip_needs_county")
    return Reason("residence", Outcome.FAIL, "residence_outside")


def _custody(rules: Rules, a: Applicant) -> Reason:
    if set(rules.custodies) >= set(CUSTODIES):
        return Reason("custody", Outcome.PASS, "custody_any")
    if not a.custody:
        return Reason("custody", Outcome.UNKNOWN, "custody_unknown")
    if a.custody in rules.custodies:
        return Reason("custody", Outcome.PASS, "custody_served", (("custody", a.custody),))
    return Reason("custody", Outcome.FAIL, "custody_not_served", (("custody", a.custody),))


def _court(rules: Rules, a: Applicant) -> Reason:
    courts = {_norm(c) for c in rules.courts}
    if not courts:
        return Reason("court", Outcome.PASS, "court_not_required")
    if not a.court:
        # Not knowing the court is common and is not held against anyone.
        return Reason("court", Outcome.PASS, "court_unknown_ok")
    if _norm(a.court) in courts:
        return Reason("court", Outcome.PASS, "court_local", (("court", a.court),))
    return Reason("court", Outcome.FAIL, "court_elsewhere", (("court", a.court),))


def _practice_area(rules: Rules, a: Applicant) -> Reason:
    if not rules.practice_areas:
        return Reason("practice_area", Outcome.PASS, "practice_area_any")
    if not a.practice_area:
        return Reason("practice_area", Outcome.UNKNOWN, "practice_area_unknown")
    if a.practice_area in rules.practice_areas:
        return Reason(
            "practice_area", Outcome.PASS, "practice_area_covered", (("area", a.practice_area),)
        )
    return Reason(
        "practice_area", Outcome.FAIL, "practice_area_not_covered", (("area", a.practice_area),)
    )


def screen(rules: Rules, applicant: Applicant, tables: Iterable[PovertyTable]) -> Screening:
    """Screen ``applicant`` against ``rules`` with the poverty ``tables`` available."""
    income, year, limit = _income(rules, applicant, list(tables))
    reasons = (
        _custody(rules, applicant),
        _residence(rules, applicant),
        _court(rules, applicant),
        _practice_area(rules, applicant),
        income,
    )
    if any(r.outcome is Outcome.FAIL for r in reasons):
        decision = Decision.INELIGIBLE
    elif any(r.outcome is Outcome.UNKNOWN for r in reasons):
        decision = Decision.REVIEW
    else:
        decision = Decision.ELIGIBLE
    return Screening(decision=decision, reasons=reasons, poverty_year_used=year, income_limit=limit)
