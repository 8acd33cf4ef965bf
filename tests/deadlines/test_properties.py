"""Property tests of the engine's invariants over 1990-2060, every rule and every option.

- a forward deadline is never before its trigger (nor is its calendar date);
- a backward deadline is before its trigger;
- calendar_date <= due;
- neither falls on a weekend, a federal holiday or an extra closure (except the due date of a
  rule that never moves forward: an age limit, an expiring certification);
- without review, the calendar shows the due date (except where the calendar keeps the
  earlier business day by design);
- the memoized calendar and a naive one agree;
- business days: adding N lands on a business day, is monotone, and N business days lie between.
"""

from datetime import date, timedelta
from typing import Any

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.deadlines.engine import BusinessCalendar, compute
from amparo.deadlines.rules import (
    RULES,
    Custody,
    Direction,
    Hearing,
    Roll,
    Unit,
    VoluntaryDepartureStage,
)
from bench.deadlines import NaiveCalendar

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))
rule_ids = st.sampled_from(sorted(RULES))
custodies = st.sampled_from([None, *Custody])
hearings = st.sampled_from([None, *Hearing])
# Extra closures near the trigger (where they can matter), a few at a time.
closure_offsets = st.frozensets(st.integers(min_value=-45, max_value=400), max_size=12)
# The other options: any values the law allows (60 days is allowed at either stage).
extras = st.fixed_dictionaries(
    {
        "days": st.integers(min_value=1, max_value=60),
        "vd_stage": st.sampled_from([None, *VoluntaryDepartureStage]),
        "voluntary_departure": st.booleans(),
        "withholding_only": st.booleans(),
        "unaccompanied": st.booleans(),
    }
)
#: Rules whose calendar date may be earlier than the due date without a review flag.
CALENDAR_EARLIER_BY_DESIGN = {Roll.NEXT_BUSINESS_DAY_CALENDAR_EARLIER, Roll.NEVER_FORWARD}

_HOLIDAYS: dict[int, holidays.HolidayBase] = {}


def is_federal_holiday(day: date) -> bool:
    # Straight from the package, independently of the engine's cache.
    if day.year not in _HOLIDAYS:
        _HOLIDAYS[day.year] = holidays.country_holidays("US", years=day.year)
    return day in _HOLIDAYS[day.year]


def is_business_day(day: date, closures: frozenset[date]) -> bool:
    return day.weekday() < 5 and not is_federal_holiday(day) and day not in closures


@settings(max_examples=600, deadline=None)
@given(rule_ids, dates, custodies, hearings, closure_offsets, extras)
def test_invariants(
    rule_id: str,
    trigger: date,
    custody: Custody | None,
    hearing: Hearing | None,
    offsets: frozenset[int],
    options: dict[str, Any],
) -> None:
    closures = frozenset(trigger + timedelta(days=n) for n in offsets)
    deadline = compute(
        rule_id, trigger, custody=custody, hearing=hearing, closures=closures, **options
    )
    rule = RULES[rule_id]

    assert deadline.rule == rule_id
    assert deadline.trigger == trigger
    assert deadline.citation == rule.citation
    assert deadline.explanation

    if deadline.due is None:
        # Only the court-set cases and an unaccompanied child's asylum clock have no date.
        assert deadline.calendar_date is None
        assert deadline.notes or deadline.explanation != rule.explanation
        if rule_id == "asylum-one-year":
            assert options["unaccompanied"]
        else:
            assert custody is Custody.DETAINED
            assert rule_id in {"prehearing-filing", "filing-response"}
        return

    assert deadline.calendar_date is not None
    assert deadline.calendar_date <= deadline.due
    assert is_business_day(deadline.calendar_date, closures)
    if rule.roll is not Roll.NEVER_FORWARD:
        assert is_business_day(deadline.due, closures), (deadline.due, deadline.due.strftime("%A"))
    if rule.direction is Direction.FORWARD:
        assert deadline.due > trigger
        assert deadline.calendar_date > trigger
    else:
        assert deadline.due < trigger
        assert deadline.calendar_date < trigger
    if not deadline.needs_review and rule.roll not in CALENDAR_EARLIER_BY_DESIGN:
        assert deadline.calendar_date == deadline.due
    if deadline.needs_review or deadline.calendar_date != deadline.due:
        assert deadline.notes


@settings(max_examples=300, deadline=None)
@given(rule_ids, dates, custodies, hearings)
def test_memoized_and_naive_calendars_agree(
    rule_id: str, trigger: date, custody: Custody | None, hearing: Hearing | None
) -> None:
    kwargs: dict[str, Any] = {"custody": custody, "hearing": hearing, "days": 45}
    fast = compute(rule_id, trigger, **kwargs)
    naive = compute(rule_id, trigger, calendar=NaiveCalendar(), **kwargs)
    fresh = compute(rule_id, trigger, calendar=BusinessCalendar(), **kwargs)
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
    a, b = compute(rule_id, early, days=30), compute(rule_id, late, days=30)
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
        "vd-bond-proof-bia",
        "credible-fear-review",
        "reasonable-fear-review",
        "ar-11",
        "pfr-rehearing",
        "cert-petition",
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


# --- business days ---------------------------------------------------------------------------

business_counts = st.integers(min_value=0, max_value=40)


@settings(max_examples=200, deadline=None)
@given(dates, business_counts, closure_offsets)
def test_adding_business_days_lands_on_one_and_counts_back(
    start: date, count: int, offsets: frozenset[int]
) -> None:
    closures = frozenset(start + timedelta(days=n) for n in offsets)
    calendar = BusinessCalendar(closures)
    end = calendar.add_business_days(start, count)
    if count == 0:
        assert end == start
        return
    assert end > start
    assert is_business_day(end, closures)
    # Exactly ``count`` business days after ``start`` and up to ``end``, counted here by hand.
    day, seen = start, 0
    while day < end:
        day += timedelta(days=1)
        seen += is_business_day(day, closures)
    assert seen == count == calendar.business_days_between(start, end)
    # The day before ``end`` holds one business day fewer: ``end`` is the first such day.
    assert calendar.business_days_between(start, end - timedelta(days=1)) == count - 1


@settings(max_examples=200, deadline=None)
@given(dates, dates, business_counts, business_counts)
def test_adding_business_days_is_monotone(first: date, second: date, m: int, n: int) -> None:
    calendar = BusinessCalendar()
    early, late = sorted((first, second))
    fewer, more = sorted((m, n))
    # In the start date: a later start never gives an earlier result.
    assert calendar.add_business_days(early, n) <= calendar.add_business_days(late, n)
    # In the count: strictly, since each step lands on a new business day.
    if fewer < more:
        assert calendar.add_business_days(early, fewer) < calendar.add_business_days(early, more)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(sorted(r for r in RULES if RULES[r].period.unit is Unit.BUSINESS_DAYS)), dates
)
def test_business_day_rules_count_business_days(rule_id: str, trigger: date) -> None:
    deadline = compute(rule_id, trigger)
    assert deadline.due is not None and deadline.due == deadline.calendar_date
    assert is_business_day(deadline.due, frozenset())
    calendar = BusinessCalendar()
    assert calendar.business_days_between(trigger, deadline.due) == RULES[rule_id].period.amount
    amount = RULES[rule_id].period.amount
    assert calendar.business_days_between(trigger, deadline.due - timedelta(days=1)) == amount - 1
