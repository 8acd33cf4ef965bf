"""The deadline engine: a rule id and a trigger date in, a `Deadline` out. Pure Python, no Django.

    >>> from datetime import date
    >>> compute("bia-appeal", date(2026, 6, 4)).due
    datetime.date(2026, 7, 6)

Business days
    A business day is a Monday to Friday that is not a federal legal holiday and not one of the
    extra closure dates passed in (Inauguration Day for the BIA in the DC area, a court's
    emergency closure, ...).

Federal holidays
    The `holidays` package's default United States calendar, without a subdivision (its DC
    subdivision adds days that are not federal holidays). It applies the observance rule of
    5 U.S.C. 6103(b) and Executive Order 11582: a holiday on a Saturday is observed on the
    Friday before, one on a Sunday on the Monday after. Both the holiday itself and its observed
    day are treated as non-business days (a forward count that ends on the observed Friday and a
    count that ends on the Saturday both move to the next business day).

    New Year's Day on a Saturday (2022-01-01, 2028-01-01, 2033-01-01, ...): 5 U.S.C. 6103(b)(1)
    makes "the Friday immediately before" the legal holiday, and OPM treated Friday 2021-12-31 as
    the New Year's Day holiday for 2022. The package does the same (it lists 2027-12-31 as "New
    Year's Day (observed)", in its 2027 calendar), and so does this engine: 2027-12-31 is not a
    business day. `tests/deadlines/test_calendar.py` pins this down.

Caching
    Holiday sets are built once per year and cached (`federal_holidays`); a calendar also
    memoizes its next/previous business-day answers. The engine is immutable data in, immutable
    data out, so results are safe to share between threads and requests.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Final

import holidays

from .rules import (
    ASYLUM_BEFORE_1997,
    ASYLUM_CLOCK_START,
    ASYLUM_LEAP_DAY,
    BACKWARD_NO_EARLIER_DAY,
    CUSTODY_ASSUMED,
    DETAINED_BRIEFS,
    DETAINED_SET_BY_COURT,
    IN_ABSENTIA_ROLLED,
    MASTER_HEARING,
    PREHEARING_PERIOD_UNCONFIRMED,
    PREHEARING_PERIOD_USED,
    PREHEARING_TRANSITION,
    ROLLED,
    RULES,
    Custody,
    Direction,
    EffectivePeriod,
    Hearing,
    Roll,
    Rule,
    Unit,
)

__all__ = [
    "BusinessCalendar",
    "Deadline",
    "DeadlineError",
    "InvalidOption",
    "Note",
    "TriggerOutOfRange",
    "UnknownRule",
    "compute",
    "federal_holidays",
]

ONE_DAY: Final = timedelta(days=1)
#: Triggers the engine accepts: wide enough for any real case, narrow enough that counting
#: forward or backward never leaves the range of `date` or of the holiday calendar.
EARLIEST_TRIGGER: Final = date(1900, 1, 1)
LATEST_TRIGGER: Final = date(2199, 12, 31)


class DeadlineError(ValueError):
    """Bad input to the engine (the message is English; callers translate by type)."""


class UnknownRule(DeadlineError):
    pass


class InvalidOption(DeadlineError):
    pass


class TriggerOutOfRange(DeadlineError):
    pass


@dataclass(frozen=True, slots=True)
class Note:
    """A remark on a computed deadline: a message (marked for translation) and its parameters."""

    message: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        return self.message % dict(self.params) if self.params else self.message


@dataclass(frozen=True, slots=True)
class Deadline:
    """One computed deadline.

    ``due`` is the last day the law allows (after moving off weekends and holidays);
    ``calendar_date`` is the day to put on the calendar: the same day, or an earlier business
    day where the sources leave room (never later than ``due``). Both are None when there is no
    default (the court sets the date). ``needs_review`` marks results that depend on an
    unsettled point of law; ``notes`` say which, and why.
    """

    rule: str
    trigger: date
    due: date | None
    calendar_date: date | None
    citation: str
    explanation: str
    needs_review: bool
    notes: tuple[Note, ...] = ()

    def as_dict(self) -> dict[str, str | bool | None]:
        """The JSON shape of `amparo deadline` (ISO dates, None where there is no date)."""
        return {
            "rule": self.rule,
            "trigger": self.trigger.isoformat(),
            "due": self.due.isoformat() if self.due else None,
            "calendar_date": self.calendar_date.isoformat() if self.calendar_date else None,
            "citation": self.citation,
            "explanation": self.explanation,
            "needs_review": self.needs_review,
        }


@lru_cache(maxsize=512)
def federal_holidays(year: int) -> frozenset[date]:
    """The federal legal holidays, and their observed days, that fall in ``year``.

    Built from the calendars of the years around it so that an observed day that crosses the
    new year (New Year's Day 2028 observed on 2027-12-31) is found whichever year the package
    files it under.
    """
    calendar = holidays.country_holidays("US", years=(year - 1, year, year + 1))
    return frozenset(day for day in calendar if day.year == year)


class BusinessCalendar:
    """Weekends, federal holidays and extra closure dates; memoizes its answers."""

    __slots__ = ("_next", "_previous", "closures")

    def __init__(self, closures: Iterable[date] = ()) -> None:
        self.closures: frozenset[date] = frozenset(closures)
        self._next: dict[date, date] = {}
        self._previous: dict[date, date] = {}

    def holidays(self, year: int) -> frozenset[date]:
        return federal_holidays(year)

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays(day.year) and day not in self.closures

    def next_business_day(self, day: date) -> date:
        """``day`` itself if it is a business day, else the first business day after it."""
        found = self._next.get(day)
        if found is None:
            found = day
            while not self.is_business_day(found):
                found += ONE_DAY
            self._next[day] = found
        return found

    def previous_business_day(self, day: date) -> date:
        """``day`` itself if it is a business day, else the last business day before it."""
        found = self._previous.get(day)
        if found is None:
            found = day
            while not self.is_business_day(found):
                found -= ONE_DAY
            self._previous[day] = found
        return found


@lru_cache(maxsize=64)
def calendar_for(closures: frozenset[date]) -> BusinessCalendar:
    """A shared, memoizing calendar per set of closures (frozensets hash once, cheaply)."""
    return BusinessCalendar(closures)


def compute(
    rule_id: str,
    trigger: date,
    *,
    custody: Custody | str | None = None,
    hearing: Hearing | str | None = None,
    closures: Collection[date] = frozenset(),
    prehearing_periods: tuple[EffectivePeriod, ...] | None = None,
    calendar: BusinessCalendar | None = None,
) -> Deadline:
    """Compute one deadline.

    ``custody`` and ``hearing`` matter only to the rules that list them in ``Rule.options``
    (others ignore them). ``closures`` are extra non-business days. ``prehearing_periods``
    replaces the default table of pre-hearing filing periods (``rules.PREHEARING_PERIODS``).
    ``calendar`` is for benchmarks and tests; by default a cached one per set of closures.

    Raises `UnknownRule` for an id not in the table, `InvalidOption` for a custody or hearing
    value outside the enums and `TriggerOutOfRange` for a trigger outside
    `EARLIEST_TRIGGER` .. `LATEST_TRIGGER`.
    """
    rule = RULES.get(rule_id)
    if rule is None:
        raise UnknownRule(f"unknown rule: {rule_id!r}")
    if not EARLIEST_TRIGGER <= trigger <= LATEST_TRIGGER:
        raise TriggerOutOfRange(f"trigger outside {EARLIEST_TRIGGER}..{LATEST_TRIGGER}: {trigger}")
    if calendar is None:
        calendar = calendar_for(
            closures if isinstance(closures, frozenset) else frozenset(closures)
        )
    handler = _HANDLERS.get(rule_id, _forward)
    return handler(
        rule,
        trigger,
        calendar,
        _custody(custody),
        _hearing(hearing),
        prehearing_periods,
    )


def _custody(value: Custody | str | None) -> Custody | None:
    if value is None or isinstance(value, Custody):
        return value
    try:
        return Custody(value)
    except ValueError:
        raise InvalidOption(f"unknown custody: {value!r}") from None


def _hearing(value: Hearing | str | None) -> Hearing | None:
    if value is None or isinstance(value, Hearing):
        return value
    try:
        return Hearing(value)
    except ValueError:
        raise InvalidOption(f"unknown hearing: {value!r}") from None


def _rolled(raw: date) -> Note:
    return Note(ROLLED, (("day", raw.isoformat()),))


def _forward_days(
    rule: Rule,
    trigger: date,
    days: int,
    calendar: BusinessCalendar,
    *,
    explanation: str | None = None,
    notes: tuple[Note, ...] = (),
) -> Deadline:
    raw = trigger + timedelta(days=days)
    due = calendar.next_business_day(raw)
    if due == raw:
        return Deadline(
            rule.id, trigger, due, due, rule.citation, explanation or rule.explanation, False, notes
        )
    if rule.roll is Roll.UNSETTLED:
        notes = (*notes, *(Note(text) for text in rule.unsettled), Note(IN_ABSENTIA_ROLLED))
        earlier = calendar.previous_business_day(raw)
        return Deadline(
            rule.id,
            trigger,
            due,
            earlier if earlier > trigger else due,
            rule.citation,
            explanation or rule.explanation,
            True,
            (*notes, _rolled(raw)),
        )
    return Deadline(
        rule.id,
        trigger,
        due,
        due,
        rule.citation,
        explanation or rule.explanation,
        False,
        (*notes, _rolled(raw)),
    )


def _no_default(rule: Rule, trigger: date, explanation: str) -> Deadline:
    return Deadline(rule.id, trigger, None, None, rule.citation, explanation, False)


# --- handlers, one per rule that needs more than "N days forward" ---------------------------


def _forward(
    rule: Rule,
    trigger: date,
    calendar: BusinessCalendar,
    custody: Custody | None,
    hearing: Hearing | None,
    periods: tuple[EffectivePeriod, ...] | None,
) -> Deadline:
    assert rule.direction is Direction.FORWARD and rule.period.unit is Unit.DAYS
    return _forward_days(rule, trigger, rule.period.amount, calendar)


def _filing_response(
    rule: Rule,
    trigger: date,
    calendar: BusinessCalendar,
    custody: Custody | None,
    hearing: Hearing | None,
    periods: tuple[EffectivePeriod, ...] | None,
) -> Deadline:
    if custody is Custody.DETAINED:
        return _no_default(rule, trigger, DETAINED_SET_BY_COURT)
    notes = (Note(CUSTODY_ASSUMED),) if custody is None else ()
    return _forward_days(rule, trigger, rule.period.amount, calendar, notes=notes)


def _brief_appellant(
    rule: Rule,
    trigger: date,
    calendar: BusinessCalendar,
    custody: Custody | None,
    hearing: Hearing | None,
    periods: tuple[EffectivePeriod, ...] | None,
) -> Deadline:
    # 21 days from the briefing notice whatever the custody; detained cases add a note.
    notes = (Note(DETAINED_BRIEFS),) if custody is Custody.DETAINED else ()
    return _forward_days(rule, trigger, rule.period.amount, calendar, notes=notes)


def _brief_appellee(
    rule: Rule,
    trigger: date,
    calendar: BusinessCalendar,
    custody: Custody | None,
    hearing: Hearing | None,
    periods: tuple[EffectivePeriod, ...] | None,
) -> Deadline:
    days = rule.period.amount
    if custody is Custody.DETAINED:
        # Detained: both briefs at once, 21 days from the notice.
        return _forward_days(rule, trigger, days, calendar, explanation=DETAINED_BRIEFS)
    # Non-detained: 21 days after the appellant's due date (itself moved off non-business days).
    appellant_due = calendar.next_business_day(trigger + timedelta(days=days))
    notes = (Note(CUSTODY_ASSUMED),) if custody is None else ()
    result = _forward_days(rule, appellant_due, days, calendar, notes=notes)
    return Deadline(
        rule.id,
        trigger,
        result.due,
        result.calendar_date,
        rule.citation,
        rule.explanation,
        False,
        result.notes,
    )


def _asylum_one_year(
    rule: Rule,
    trigger: date,
    calendar: BusinessCalendar,
    custody: Custody | None,
    hearing: Hearing | None,
    periods: tuple[EffectivePeriod, ...] | None,
) -> Deadline:
    start = trigger
    notes: tuple[Note, ...] = ()
    if start < ASYLUM_CLOCK_START:
        start = ASYLUM_CLOCK_START
        notes = (Note(ASYLUM_BEFORE_1997),)
    years = rule.period.amount
    if start.month == 2 and start.day == 29:
        # No February 29 in the anniversary year: Feb 28 and Mar 1 are both defensible. The due
        # date takes March 1 (moved off non-business days); the calendar takes the safer Feb 28.
        latest = date(start.year + years, 3, 1)
        due = calendar.next_business_day(latest)
        earliest = calendar.previous_business_day(date(start.year + years, 2, 28))
        notes = (*notes, *(Note(text) for text in rule.unsettled), Note(ASYLUM_LEAP_DAY))
        if due != latest:
            notes = (*notes, _rolled(latest))
        return Deadline(
            rule.id, trigger, due, earliest, rule.citation, rule.explanation, True, notes
        )
    anniversary = start.replace(year=start.year + years)
    due = calendar.next_business_day(anniversary)
    if due != anniversary:
        notes = (*notes, _rolled(anniversary))
    return Deadline(rule.id, trigger, due, due, rule.citation, rule.explanation, False, notes)


def _period_for(hearing_day: date, periods: tuple[EffectivePeriod, ...]) -> EffectivePeriod | None:
    for period in periods:
        if period.covers(hearing_day):
            return period
    return None


def _prehearing_filing(
    rule: Rule,
    trigger: date,
    calendar: BusinessCalendar,
    custody: Custody | None,
    hearing: Hearing | None,
    periods: tuple[EffectivePeriod, ...] | None,
) -> Deadline:
    if custody is Custody.DETAINED:
        return _no_default(rule, trigger, DETAINED_SET_BY_COURT)
    table = rule.effective_periods if periods is None else periods
    notes: list[Note] = []
    if custody is None:
        notes.append(Note(CUSTODY_ASSUMED))
    if hearing is Hearing.MASTER:
        notes.append(Note(MASTER_HEARING))
    needs_review = False

    period = _period_for(trigger, table)
    days = period.days if period is not None else rule.period.amount
    notes.append(
        Note(PREHEARING_PERIOD_USED, (("days", str(days)), ("hearing", trigger.isoformat())))
    )
    if period is None or not period.confirmed:
        notes.append(Note(PREHEARING_PERIOD_UNCONFIRMED))

    raw = trigger - timedelta(days=days)
    if calendar.is_business_day(raw):
        due = calendar_day = raw
    else:
        needs_review = True
        notes.extend(Note(text) for text in rule.unsettled)
        calendar_day = calendar.previous_business_day(raw)
        due = calendar.next_business_day(raw)
        if due >= trigger:
            # Closures swallowed every day up to the hearing: only the earlier day is usable.
            due = calendar_day
            notes.append(Note(BACKWARD_NO_EARLIER_DAY))

    # The other reading: the period in force on the day the filing is made. A period whose own
    # counted day falls inside its effective range is a candidate; show the earliest one.
    for other in sorted(
        {p.days for p in table if p.days != days and p.covers(trigger - timedelta(days=p.days))}
    ):
        needs_review = True
        notes.append(Note(PREHEARING_TRANSITION, (("days", str(other)),)))
        calendar_day = min(
            calendar_day, calendar.previous_business_day(trigger - timedelta(days=other))
        )

    return Deadline(
        rule.id,
        trigger,
        due,
        calendar_day,
        rule.citation,
        rule.explanation,
        needs_review,
        tuple(notes),
    )


_HANDLERS: Final = {
    "filing-response": _filing_response,
    "bia-brief-appellant": _brief_appellant,
    "bia-brief-appellee": _brief_appellee,
    "asylum-one-year": _asylum_one_year,
    "prehearing-filing": _prehearing_filing,
}
