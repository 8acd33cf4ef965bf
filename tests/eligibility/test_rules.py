"""Screening as data: each criterion answers pass, fail or unknown with its reason code."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from amparo.eligibility.poverty import CONTIGUOUS, SHIPPED, PovertyTable
from amparo.eligibility.rules import Applicant, Decision, Outcome, Rules, screen
from amparo.eligibility.zipcounty import counties_of_zip, county_key

RULES = Rules(
    counties=frozenset({"Denver", "Adams"}),
    zip_codes=frozenset({"80203"}),
    local_facilities=frozenset({"Front Range Processing Center"}),
    courts=frozenset({"Denver Immigration Court"}),
)
ELIGIBLE = Applicant(
    household_size=3,
    income_low=20_000,
    income_high=25_000,
    zip_code="80203",
    custody="never_detained",
)


def _reason(result: Any, criterion: Any) -> Any:
    return next(r for r in result.reasons if r.criterion == criterion)


def test_an_eligible_person() -> None:
    result = screen(RULES, ELIGIBLE, SHIPPED)
    assert result.decision is Decision.ELIGIBLE and result.eligible is True
    income = _reason(result, "income")
    assert income.code == "income_below" and dict(income.params)["limit"] == 53_300
    assert result.poverty_year_used == 2025 and result.income_limit == 53_300


def test_income_above_200_percent_is_not_eligible() -> None:
    result = screen(
        RULES,
        Applicant(household_size=1, income_low=40_000, income_high=40_000, county="Denver"),
        SHIPPED,
    )
    assert result.decision is Decision.INELIGIBLE and result.eligible is False
    assert _reason(result, "income").code == "income_above"


def test_a_range_across_the_limit_goes_to_review() -> None:
    result = screen(
        RULES,
        Applicant(household_size=1, income_low=25_000, income_high=35_000, county="Denver"),
        SHIPPED,
    )
    assert result.decision is Decision.REVIEW and result.eligible is None
    assert _reason(result, "income").outcome is Outcome.UNKNOWN


def test_detained_at_the_local_facility_counts_as_living_in_the_area() -> None:
    person = Applicant(
        household_size=2,
        income_low=0,
        income_high=15_000,
        custody="detained",
        facility="front range processing center",
    )
    result = screen(RULES, person, SHIPPED)
    assert _reason(result, "residence").code == "residence_local_facility"
    assert result.decision is Decision.ELIGIBLE


def test_living_elsewhere_is_not_eligible_and_no_address_needs_review() -> None:
    assert (
        screen(
            RULES,
            Applicant(
                household_size=1, income_low=0, income_high=0, zip_code="10001", county="Kings"
            ),
            SHIPPED,
        ).decision
        is Decision.INELIGIBLE
    )
    assert (
        _reason(
            screen(RULES, Applicant(household_size=1, income_low=0, income_high=0), SHIPPED),
            "residence",
        ).code
        == "residence_unknown"
    )


COUNTY_RULES = Rules(counties=frozenset({"Denver", "Adams"}), income_percent=None)


def test_a_denver_zip_code_passes_residence_by_its_county_without_review() -> None:
    applicant = Applicant(zip_code="80202", zip_counties=counties_of_zip("80202"))
    assert applicant.zip_counties == ("Denver County",)
    result = screen(COUNTY_RULES, applicant, SHIPPED)
    reason = _reason(result, "residence")
    assert reason.outcome is Outcome.PASS and reason.code == "residence_zip_in_county"
    assert dict(reason.params) == {"zip": "80202", "county": "Denver County"}
    assert result.decision is Decision.ELIGIBLE


def test_a_zip_code_across_a_county_line_goes_to_review_with_both_counties_named() -> None:
    applicant = Applicant(zip_code="80231", zip_counties=("Denver County", "Arapahoe County"))
    reason = _reason(screen(COUNTY_RULES, applicant, SHIPPED), "residence")
    assert reason.outcome is Outcome.UNKNOWN and reason.code == "residence_zip_spans_counties"
    assert dict(reason.params)["counties"] == "Denver County, Arapahoe County"
    # The person's own county against the ZIP code's: both named, a person decides.
    mixed = Applicant(zip_code="80202", zip_counties=("Denver County",), county="Jefferson")
    reason = _reason(screen(COUNTY_RULES, mixed, SHIPPED), "residence")
    assert reason.code == "residence_zip_spans_counties"
    assert dict(reason.params)["counties"] == "Denver County, Jefferson"


def test_a_zip_code_in_another_county_is_reviewed_never_refused() -> None:
    applicant = Applicant(zip_code="10001", zip_counties=counties_of_zip("10001"))
    reason = _reason(screen(COUNTY_RULES, applicant, SHIPPED), "residence")
    assert reason.outcome is Outcome.UNKNOWN and reason.code == "residence_zip_other_county"
    assert dict(reason.params)["county"] == "New York County"
    # Unknown to the dataset: as before, a person maps it.
    unknown = Applicant(zip_code="00000", zip_counties=counties_of_zip("00000"))
    assert _reason(screen(COUNTY_RULES, unknown, SHIPPED), "residence").code == (
        "residence_zip_needs_county"
    )


def test_county_names_match_with_or_without_the_word_county() -> None:
    assert county_key("  Denver   COUNTY ") == county_key("denver") == "denver"
    assert county_key("County") == "county"
    assert counties_of_zip("802") == () and counties_of_zip("80202-1234") == ("Denver County",)
    applicant = Applicant(county="Adams County")
    assert _reason(screen(COUNTY_RULES, applicant, SHIPPED), "residence").outcome is Outcome.PASS


def test_an_unknown_court_is_fine_and_another_court_is_not() -> None:
    assert _reason(screen(RULES, ELIGIBLE, SHIPPED), "court").code == "court_unknown_ok"
    elsewhere = Applicant(
        household_size=3,
        income_low=0,
        income_high=0,
        zip_code="80203",
        court="Houston Immigration Court",
    )
    result = screen(RULES, elsewhere, SHIPPED)
    assert _reason(result, "court").outcome is Outcome.FAIL


def test_a_detained_only_program() -> None:
    rules = Rules(custodies=frozenset({"detained"}))
    assert (
        screen(
            rules,
            Applicant(household_size=1, income_low=0, income_high=0, custody="never_detained"),
            SHIPPED,
        ).decision
        is Decision.INELIGIBLE
    )
    assert (
        screen(
            rules,
            Applicant(household_size=1, income_low=0, income_high=0, custody="detained"),
            SHIPPED,
        ).decision
        is Decision.ELIGIBLE
    )


def test_a_year_with_no_table_is_compared_with_the_newest_older_one_and_goes_to_review() -> None:
    for income in (30_000, 300_000):
        result = screen(
            Rules(poverty_year=2027),
            Applicant(household_size=2, income_low=income, income_high=income),
            SHIPPED,
        )
        reason = _reason(result, "income")
        # Never "ineligible" on an older year's figures, even far above its limit.
        assert result.decision is Decision.REVIEW and reason.outcome is Outcome.UNKNOWN
        assert reason.code in {"income_below_fallback", "income_above_fallback"}
        assert dict(reason.params)["requested_year"] == 2027
        assert result.poverty_year_used == 2026


def test_an_unverified_table_is_never_used_to_decide() -> None:
    unverified = PovertyTable(
        year=2027, region=CONTIGUOUS, first_person=16_000, additional_person=None, verified=False
    )
    applicant = Applicant(household_size=2, income_low=300_000, income_high=300_000)
    for fallback in (True, False):
        result = screen(
            Rules(poverty_year=2027, fallback_to_verified=fallback),
            applicant,
            [*SHIPPED, unverified],
        )
        assert result.decision is Decision.REVIEW
    review = screen(
        Rules(poverty_year=2027, fallback_to_verified=False), applicant, [*SHIPPED, unverified]
    )
    assert _reason(review, "income").code == "income_table_unverified"


def test_2026_decides_with_its_own_figures() -> None:
    # Household of four: 200% of $33,000.
    at_limit = screen(
        Rules(poverty_year=2026),
        Applicant(household_size=4, income_low=66_000, income_high=66_000),
        SHIPPED,
    )
    above = screen(
        Rules(poverty_year=2026),
        Applicant(household_size=4, income_low=66_001, income_high=66_001),
        SHIPPED,
    )
    assert at_limit.decision is Decision.ELIGIBLE and at_limit.income_limit == 66_000
    assert above.decision is Decision.INELIGIBLE


def test_no_income_limit() -> None:
    result = screen(
        Rules(income_percent=None), Applicant(income_low=900_000, income_high=900_000), SHIPPED
    )
    assert result.decision is Decision.ELIGIBLE


def test_there_is_no_merits_criterion() -> None:
    assert {r.criterion for r in screen(RULES, ELIGIBLE, SHIPPED).reasons} == {
        "custody",
        "residence",
        "court",
        "practice_area",
        "income",
    }


@given(size=st.integers(1, 30), income=st.integers(0, 500_000))
def test_an_exact_income_is_decided_exactly_at_the_limit(size: Any, income: Any) -> None:
    result = screen(
        Rules(), Applicant(household_size=size, income_low=income, income_high=income), SHIPPED
    )
    limit = (15_650 + (size - 1) * 5_500) * 2
    assert result.decision is (Decision.ELIGIBLE if income <= limit else Decision.INELIGIBLE)
