"""Property tests of the engine's invariants over 1990-2060, every rule and every option.

- a forward deadline is never before its trigger (nor is its calendar date);
- a backward deadline is before its trigger;
- calendar_date <= due;
- neither falls on a weekend, a federal holiday or an extra closure;
- without review, the calendar shows the due date;
- the memoized calendar and a naive one agree.
"""

from datetime import date, timedelta

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.deadlines.bench import NaiveCalendar
from amparo.deadlines.engine import BusinessCalendar, compute
from amparo.deadlines.rules import RULES, Custody, Direction, Hearing

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))
rule_ids = st.sampled_from(sorted(RULES))
custodies = st.sampled_from([None, *Custody])
hearings = st.sampled_from([None, *Hearing])
# Extra closures near the trigger (where they can matter), a few at a time.
closure_offsets = st.frozensets(st.integers(min_value=-45, max_value=400), max_size=12)

_HOLIDAYS: dict[int, holidays.HolidayBase] = {}


def is_federal_holiday(day: date) -> bool:
    # Straight from the package, independently of the engine's cache.
    if day.year not in _HOLIDAYS:
        _HOLIDAYS[day.year] = holidays.country_holidays("US", years=day.year)
    return day in _HOLIDAYS[day.year]


def is_business_day(day: date, closures: frozenset[date]) -> bool:
    return day.weekday() < 5 and not is_federal_holiday(day) and day not in closures


@settings(max_examples=600, deadline=None)
@given(rule_ids, dates, custodies, hearings, closure_offsets)
def test_invariants(
    rule_id: str,
    trigger: date,
    custody: Custody | None,
    hearing: Hearing | None,
    offsets: frozenset[int],
) -> None:
    closures = frozenset(trigger + timedelta(days=n) for n in offsets)
    deadline = compute(rule_id, trigger, custody=custody, hearing=hearing, closures=closures)
    rule = RULES[rule_id]

    assert deadline.rule == rule_id
    assert deadline.trigger == trigger
    assert deadline.citation == rule.citation
    assert deadline.explanation

    if deadline.due is None:
        # Only the court-set cases have no date.
        assert deadline.calendar_date is None
        assert custody is Custody.DETAINED
        assert rule_id in {"prehearing-filing", "filing-response"}
        return

    assert deadline.calendar_date is not None
    assert deadline.calendar_date <= deadline.due
    for day in (deadline.due, deadline.calendar_date):
        assert is_business_day(day, closures), (day, day.strftime("%A"))
    if rule.direction is Direction.FORWARD:
        assert deadline.due > trigger
        assert deadline.calendar_date > trigger
    else:
        assert deadline.due < trigger
        assert deadline.calendar_date < trigger
    if not deadline.needs_review:
        assert deadline.calendar_date == deadline.due
    if deadline.needs_review:
        assert deadline.notes


@settings(max_examples=300, deadline=None)
@given(rule_ids, dates, custodies, hearings)
def test_memoized_and_naive_calendars_agree(
    rule_id: str, trigger: date, custody: Custody | None, hearing: Hearing | None
) -> None:
    fast = compute(rule_id, trigger, custody=custody, hearing=hearing)
    naive = compute(rule_id, trigger, custody=custody, hearing=hearing, calendar=NaiveCalendar())
    fresh = compute(rule_id, trigger, custody=custody, hearing=hearing, calendar=BusinessCalendar())
    assert fast == naive == fresh


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(r for r in RULES if RULES[r].direction is Direction.FORWARD)),
    dates,
    dates,
)
def test_forward_deadlines_are_monotonic(rule_id: str, first: date, second: date) -> None:
    # A later trigger never gives an earlier deadline (no closures; default custody).
    early, late = sorted((first, second))
    a, b = compute(rule_id, early), compute(rule_id, late)
    assert a.due is not None and b.due is not None
    assert a.due <= b.due


@settings(max_examples=200, deadline=None)
@given(rule_ids, dates)
def test_forward_day_counts_match_a_plain_count(rule_id: str, trigger: date) -> None:
    # For the rules that are just "N days forward", due is the first business day on or after
    # trigger + N, counted here without the engine.
    rule = RULES[rule_id]
    if rule_id not in {
        "bia-appeal",
        "ij-reconsider",
        "ij-reopen",
        "bia-reconsider",
        "bia-reopen",
        "in-absentia-rescind",
        "petition-for-review",
        "bia-brief-appellant",
        "change-of-address",
    }:
        return
    expected = trigger + timedelta(days=rule.period.amount)
    while not is_business_day(expected, frozenset()):
        expected += timedelta(days=1)
    assert compute(rule_id, trigger).due == expected


def test_every_february_29_arrival_needs_review() -> None:
    for year in range(2000, 2061, 4):
        deadline = compute("asylum-one-year", date(year, 2, 29))
        assert deadline.needs_review, year
        assert deadline.calendar_date is not None and deadline.due is not None
        assert deadline.calendar_date <= date(year + 1, 2, 28)
        assert deadline.due >= date(year + 1, 3, 1)


@settings(max_examples=300, deadline=None)
@given(dates.filter(lambda d: not (d.month == 2 and d.day == 29)))
def test_other_arrivals_after_april_1997_are_settled(arrival: date) -> None:
    deadline = compute("asylum-one-year", arrival)
    assert not deadline.needs_review
    if arrival >= date(1997, 4, 1):
        assert deadline.due is not None
        assert deadline.due >= arrival.replace(year=arrival.year + 1)
