"""The business-day calendar: federal holidays, observed days and extra closures.

Pure tests: no database, no Django.
"""

import subprocess
import sys
from datetime import date

import holidays
import pytest

from amparo.deadlines.engine import BusinessCalendar, calendar_for, federal_holidays


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2026, 7, 4), "Independence Day, a Saturday"),
        (date(2026, 7, 3), "Independence Day observed on the Friday before"),
        (date(2026, 6, 19), "Juneteenth 2026, a Friday"),
        (date(2027, 6, 18), "Juneteenth 2027 (Saturday) observed Friday"),
        (date(2022, 6, 20), "Juneteenth 2022 (Sunday) observed Monday"),
        (date(2027, 12, 24), "Christmas 2027 (Saturday) observed Friday"),
        (date(2028, 11, 10), "Veterans Day 2028 (Saturday) observed Friday"),
        (date(2026, 1, 19), "Martin Luther King Jr. Day, third Monday of January"),
        (date(2026, 11, 26), "Thanksgiving, fourth Thursday of November"),
        (date(2026, 10, 12), "Columbus Day, second Monday of October"),
    ],
)
def test_federal_holidays_and_observed_days_are_not_business_days(day: date, why: str) -> None:
    assert day in federal_holidays(day.year), why
    assert not BusinessCalendar().is_business_day(day), why


def test_new_years_day_on_a_saturday_is_observed_on_the_friday_before() -> None:
    # 2028-01-01 is a Saturday. 5 U.S.C. 6103(b)(1): "Instead of a holiday that occurs on a
    # Saturday, the Friday immediately before is a legal public holiday" (for employees whose
    # workweek is Monday-Friday); OPM treated Friday 2021-12-31 as the 2022 New Year's holiday.
    # The `holidays` package files the observed day under 2027: check what it does...
    assert date(2028, 1, 1).weekday() == 5
    assert "New Year" in holidays.country_holidays("US", years=2027)[date(2027, 12, 31)]
    # ... and that the engine follows it, whichever year is asked first.
    federal_holidays.cache_clear()
    assert date(2027, 12, 31) in federal_holidays(2027)
    assert not BusinessCalendar().is_business_day(date(2027, 12, 31))
    assert BusinessCalendar().next_business_day(date(2027, 12, 31)) == date(2028, 1, 3)
    # The same with 2021-12-31 (New Year's Day 2022 was a Saturday).
    assert not BusinessCalendar().is_business_day(date(2021, 12, 31))


def test_juneteenth_is_a_holiday_only_from_2021() -> None:
    # Juneteenth National Independence Day Act, June 17, 2021.
    assert date(2020, 6, 19) not in federal_holidays(2020)
    assert BusinessCalendar().is_business_day(date(2020, 6, 19))  # a Friday
    assert date(2021, 6, 18) in federal_holidays(2021)  # 2021-06-19 was a Saturday


def test_no_dc_subdivision_days_unless_given_as_closures() -> None:
    # DC's Emancipation Day (April 16) and Inauguration Day are not federal legal holidays.
    calendar = BusinessCalendar()
    assert calendar.is_business_day(date(2026, 4, 16))  # a Thursday
    assert calendar.is_business_day(date(2033, 1, 20))  # Inauguration Day 2033, a Thursday
    with_inauguration = BusinessCalendar({date(2033, 1, 20)})
    assert not with_inauguration.is_business_day(date(2033, 1, 20))
    assert with_inauguration.next_business_day(date(2033, 1, 20)) == date(2033, 1, 21)


def test_weekends_are_not_business_days() -> None:
    calendar = BusinessCalendar()
    assert not calendar.is_business_day(date(2026, 6, 6))  # Saturday
    assert not calendar.is_business_day(date(2026, 6, 7))  # Sunday
    assert calendar.is_business_day(date(2026, 6, 8))  # Monday


def test_next_and_previous_business_day() -> None:
    calendar = BusinessCalendar()
    # Saturday 2026-07-04: forward past Sunday to Monday 07-06; backward past the observed
    # Friday 07-03 to Thursday 07-02.
    assert calendar.next_business_day(date(2026, 7, 4)) == date(2026, 7, 6)
    assert calendar.previous_business_day(date(2026, 7, 4)) == date(2026, 7, 2)
    # A business day is its own next and previous business day.
    assert calendar.next_business_day(date(2026, 7, 2)) == date(2026, 7, 2)
    assert calendar.previous_business_day(date(2026, 7, 6)) == date(2026, 7, 6)
    # Asked twice (memoized), the same answer.
    assert calendar.next_business_day(date(2026, 7, 4)) == date(2026, 7, 6)


def test_holiday_sets_are_cached_per_year_and_calendars_per_closure_set() -> None:
    assert federal_holidays(2031) is federal_holidays(2031)
    closures = frozenset({date(2031, 3, 3)})
    assert calendar_for(closures) is calendar_for(frozenset({date(2031, 3, 3)}))
    assert calendar_for(closures) is not calendar_for(frozenset())


def test_each_years_holidays_fall_in_that_year() -> None:
    for year in range(1990, 2061):
        assert all(day.year == year for day in federal_holidays(year))
        # Eleven federal holidays since 2021 (ten before), each observed on a weekday.
        expected = 11 if year >= 2021 else 10
        assert (
            len(
                {
                    name
                    for name in holidays.country_holidays("US", years=year).values()
                    if "observed" not in name
                }
            )
            == expected
        )


def test_the_engine_imports_nothing_from_django() -> None:
    code = (
        "import sys\n"
        "import amparo.deadlines.engine, amparo.deadlines.rules\n"
        "loaded = [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
