"""The deadline engine: a rule id and a trigger date in, a `Deadline` out. Pure Python, no Django.

    >>> from datetime import date
    >>> compute("bia-appeal", date(2026, 6, 4)).due
    datetime.date(2026, 7, 6)

Business days
    A business day is a Monday to Friday that is not a federal legal holiday and not one of the
    extra closure dates passed in (Inauguration Day for the BIA in the DC area, a court's
    emergency closure, `rules.FEDERAL_CLOSURES`, ...). Rules counted in business days
    (`Unit.BUSINESS_DAYS`) skip them while counting: "within 5 business days" of a Friday
    order is the next Friday, or later if a holiday or closure falls in between.

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
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Final, TypeVar

import holidays

from .rules import (
    APPELLEE_FROM_ORIGINAL,
    ASYLUM_BEFORE_1997,
    ASYLUM_CLOCK_START,
    ASYLUM_LEAP_DAY,
    BACKWARD_NO_EARLIER_DAY,
    CUSTODY_ASSUMED,
    DEPART_CALENDAR_EARLIER,
    DETAINED_BRIEFS,
    DETAINED_SET_BY_COURT,
    HEARING_ASSUMED,
    MASTER_HEARING,
    MASTER_PREHEARING_PERIODS,
    MONTH_END_CLAMPED,
    NEVER_LATER,
    PREHEARING_PERIOD_UNCONFIRMED,
    PREHEARING_PERIOD_USED,
    PREHEARING_TRANSITION,
    ROLLED,
    RULES,
    SIJS_LEAP_DAY,
    UNACCOMPANIED_EXEMPT,
    UNSETTLED_ROLLED,
    VD_ENDS_ON_FILING,
    VD_MAX_DAYS,
    VD_PERIOD_GRANTED,
    VD_STAGE_NOT_GIVEN,
    VOLUNTARY_DEPARTURE,
    WITHHOLDING_ONLY,
    WITHHOLDING_ONLY_PFR,
    Custody,
    Direction,
    EffectivePeriod,
    Hearing,
    Roll,
    Rule,
    Unit,
    VoluntaryDepartureStage,
)

__all__ = [
    "BusinessCalendar",
    "Deadline",
    "DeadlineError",
    "InvalidOption",
    "Note",
    "Options",
    "TriggerOutOfRange",
    "UnknownRule",
    "add_months",
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

    def add_business_days(self, day: date, count: int) -> date:
        """The ``count``-th business day after ``day`` (``day`` is day 0; ``count`` >= 0).

        With ``count`` 0 it is ``day`` itself, business day or not.
        """
        if count < 0:
            raise ValueError("count must be >= 0")
        found = day
        for _ in range(count):
            found = self.next_business_day(found + ONE_DAY)
        return found

    def business_days_between(self, start: date, end: date) -> int:
        """How many business days fall after ``start`` and on or before ``end``."""
        count = 0
        day = start + ONE_DAY
        while day <= end:
            if self.is_business_day(day):
                count += 1
            day += ONE_DAY
        return count

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


def add_months(day: date, months: int) -> tuple[date, bool]:
    """The same day number ``months`` later, and whether it was clamped.

    A day the target month lacks (Aug 31 + 6 months) becomes that month's last day (Feb 28, or
    Feb 29 in a leap year): the earlier of the two readings, so a date computed this way is
    never late.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + month // 12, month % 12 + 1, 1) - ONE_DAY).day
    return date(year, month, min(day.day, last)), day.day > last


@dataclass(frozen=True, slots=True)
class Options:
    """The options of one computation, validated (rules ignore those not in ``Rule.options``)."""

    custody: Custody | None = None
    hearing: Hearing | None = None
    periods: tuple[EffectivePeriod, ...] | None = None
    days: int | None = None
    vd_stage: VoluntaryDepartureStage | None = None
    voluntary_departure: bool = False
    withholding_only: bool = False
    unaccompanied: bool = False


def compute(
    rule_id: str,
    trigger: date,
    *,
    custody: Custody | str | None = None,
    hearing: Hearing | str | None = None,
    closures: Collection[date] = frozenset(),
    prehearing_periods: tuple[EffectivePeriod, ...] | None = None,
    calendar: BusinessCalendar | None = None,
    days: int | None = None,
    vd_stage: VoluntaryDepartureStage | str | None = None,
    voluntary_departure: bool = False,
    withholding_only: bool = False,
    unaccompanied: bool = False,
) -> Deadline:
    """Compute one deadline.

    ``custody`` and ``hearing`` matter only to the rules that list them in ``Rule.options``
    (others ignore them), and so do the rest: ``days`` and ``vd_stage`` (the voluntary
    departure period granted, and when: `vd-depart`), ``voluntary_departure`` (a grant is in
    force: the motions and the petition for review warn that filing ends it),
    ``withholding_only`` (the petition for review) and ``unaccompanied`` (the asylum one-year
    deadline). ``closures`` are extra non-business days. ``prehearing_periods`` replaces the
    default table of pre-hearing filing periods for individual hearings
    (``rules.PREHEARING_PERIODS``). ``calendar`` is for benchmarks and tests; by default a
    cached one per set of closures.

    Raises `UnknownRule` for an id not in the table, `InvalidOption` for an option value
    outside its enum or range (or `vd-depart` without ``days``) and `TriggerOutOfRange` for a
    trigger outside `EARLIEST_TRIGGER` .. `LATEST_TRIGGER`.
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
    options = Options(
        custody=_enum(Custody, custody, "custody"),
        hearing=_enum(Hearing, hearing, "hearing"),
        periods=prehearing_periods,
        days=days,
        vd_stage=_enum(VoluntaryDepartureStage, vd_stage, "voluntary departure stage"),
        voluntary_departure=voluntary_departure,
        withholding_only=withholding_only,
        unaccompanied=unaccompanied,
    )
    handler = _HANDLERS.get(rule_id, _forward)
    return _warnings(rule, handler(rule, trigger, calendar, options), options)


_E = TypeVar("_E", Custody, Hearing, VoluntaryDepartureStage)


def _enum(kind: type[_E], value: _E | str | None, name: str) -> _E | None:
    if value is None or isinstance(value, kind):
        return value
    try:
        return kind(value)
    except ValueError:
        raise InvalidOption(f"unknown {name}: {value!r}") from None


def _warnings(rule: Rule, deadline: Deadline, options: Options) -> Deadline:
    """Add what filing this costs elsewhere, for the rules that take these options."""
    if deadline.due is None:
        return deadline
    notes = deadline.notes
    needs_review = deadline.needs_review
    if options.voluntary_departure and VOLUNTARY_DEPARTURE in rule.options:
        # 8 CFR 1240.26(b)(3)(iii) (motions) and 1240.26(i) (petition for review).
        notes = (*notes, Note(VD_ENDS_ON_FILING))
    if options.withholding_only and WITHHOLDING_ONLY in rule.options:
        # Riley v. Bondi (2025): the clock runs from the reinstated or administrative removal
        # order; the trigger given may be the Board's decision, so a person must check it.
        notes = (*notes, Note(WITHHOLDING_ONLY_PFR))
        needs_review = True
    if notes is deadline.notes:
        return deadline
    return replace(deadline, notes=notes, needs_review=needs_review)


def _rolled(raw: date) -> Note:
    return Note(ROLLED, (("day", raw.isoformat()),))


def _roll(
    rule: Rule,
    trigger: date,
    raw: date,
    calendar: BusinessCalendar,
    *,
    explanation: str | None = None,
    notes: tuple[Note, ...] = (),
    needs_review: bool = False,
) -> Deadline:
    """A forward-counted last day ``raw``, moved (or not) off a non-business day by the rule."""
    text = explanation or rule.explanation
    if calendar.is_business_day(raw):
        return Deadline(rule.id, trigger, raw, raw, rule.citation, text, needs_review, notes)
    earlier = calendar.previous_business_day(raw)
    if rule.roll is Roll.NEVER_FORWARD:
        # The counted day stays the due date; the calendar goes back to a business day. (Only
        # long periods use this roll: the day before is always after the trigger.)
        note = Note(NEVER_LATER, (("day", raw.isoformat()),))
        return Deadline(
            rule.id, trigger, raw, earlier, rule.citation, text, needs_review, (*notes, note)
        )
    due = calendar.next_business_day(raw)
    calendar_day = earlier if earlier > trigger else due
    if rule.roll is Roll.UNSETTLED:
        notes = (*notes, *(Note(t) for t in rule.unsettled), Note(UNSETTLED_ROLLED), _rolled(raw))
        return Deadline(rule.id, trigger, due, calendar_day, rule.citation, text, True, notes)
    if rule.roll is Roll.NEXT_BUSINESS_DAY_CALENDAR_EARLIER:
        note = Note(DEPART_CALENDAR_EARLIER, (("day", raw.isoformat()),))
        return Deadline(
            rule.id, trigger, due, calendar_day, rule.citation, text, needs_review, (*notes, note)
        )
    return Deadline(
        rule.id, trigger, due, due, rule.citation, text, needs_review, (*notes, _rolled(raw))
    )


def _forward_days(
    rule: Rule,
    trigger: date,
    days: int,
    calendar: BusinessCalendar,
    *,
    explanation: str | None = None,
    notes: tuple[Note, ...] = (),
) -> Deadline:
    return _roll(
        rule,
        trigger,
        trigger + timedelta(days=days),
        calendar,
        explanation=explanation,
        notes=notes,
    )


def _no_default(rule: Rule, trigger: date, explanation: str) -> Deadline:
    return Deadline(rule.id, trigger, None, None, rule.citation, explanation, False)


# --- handlers, one per rule that needs more than its period forward --------------------------


def _forward(rule: Rule, trigger: date, calendar: BusinessCalendar, options: Options) -> Deadline:
    """N calendar days, N business days or N months after the trigger."""
    assert rule.direction is Direction.FORWARD
    amount = rule.period.amount
    if rule.period.unit is Unit.BUSINESS_DAYS:
        # Counting skips every non-business day, so the result is one: nothing to roll.
        due = calendar.add_business_days(trigger, amount)
        return Deadline(rule.id, trigger, due, due, rule.citation, rule.explanation, False)
    if rule.period.unit is Unit.MONTHS:
        raw, clamped = add_months(trigger, amount)
        notes = (Note(MONTH_END_CLAMPED, (("day", str(trigger.day)),)),) if clamped else ()
        return _roll(rule, trigger, raw, calendar, notes=notes)
    assert rule.period.unit is Unit.DAYS
    return _forward_days(rule, trigger, amount, calendar)


def _filing_response(
    rule: Rule, trigger: date, calendar: BusinessCalendar, options: Options
) -> Deadline:
    if options.custody is Custody.DETAINED:
        return _no_default(rule, trigger, DETAINED_SET_BY_COURT)
    notes = (Note(CUSTODY_ASSUMED),) if options.custody is None else ()
    return _forward_days(rule, trigger, rule.period.amount, calendar, notes=notes)


def _brief_appellant(
    rule: Rule, trigger: date, calendar: BusinessCalendar, options: Options
) -> Deadline:
    # 21 days from the briefing notice whatever the custody; detained cases add a note.
    notes = (Note(DETAINED_BRIEFS),) if options.custody is Custody.DETAINED else ()
    return _forward_days(rule, trigger, rule.period.amount, calendar, notes=notes)


def _brief_appellee(
    rule: Rule, trigger: date, calendar: BusinessCalendar, options: Options
) -> Deadline:
    days = rule.period.amount
    if options.custody is Custody.DETAINED:
        # Detained: both briefs at once, 21 days from the notice.
        return _forward_days(rule, trigger, days, calendar, explanation=DETAINED_BRIEFS)
    # Non-detained: 8 CFR 1003.3(c)(1) runs the appellee's time "from the date upon which the
    # appellant's brief was due, as originally set or extended by the Board": from the 21st day
    # itself, even when a holiday moved the appellant's filing day. Counting from the moved day
    # is the later reading: it is shown in a note and the result is flagged.
    original = trigger + timedelta(days=days)
    notes = (Note(CUSTODY_ASSUMED),) if options.custody is None else ()
    result = _roll(rule, trigger, original + timedelta(days=days), calendar, notes=notes)
    moved = calendar.next_business_day(original)
    if moved == original:
        return result
    later = calendar.next_business_day(moved + timedelta(days=days))
    note = Note(
        APPELLEE_FROM_ORIGINAL,
        (
            ("original", original.isoformat()),
            ("moved", moved.isoformat()),
            ("later", later.isoformat()),
        ),
    )
    return replace(result, needs_review=True, notes=(*result.notes, note))


def _asylum_one_year(
    rule: Rule, trigger: date, calendar: BusinessCalendar, options: Options
) -> Deadline:
    if options.unaccompanied:
        # INA 208(a)(2)(E): the one-year bar does not apply to an unaccompanied child.
        return Deadline(
            rule.id,
            trigger,
            None,
            None,
            rule.citation,
            rule.explanation,
            False,
            (Note(UNACCOMPANIED_EXEMPT),),
        )
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
        notes = (*notes, Note(rule.unsettled[0]), Note(ASYLUM_LEAP_DAY))
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


def _sijs_age_out(
    rule: Rule, trigger: date, calendar: BusinessCalendar, options: Options
) -> Deadline:
    # 8 CFR 204.11(b): under 21 on the day of filing. The last day is the day before the 21st
    # birthday and never moves later; state-court age limits always need a person's check.
    state_court, leap_day = rule.unsettled
    years = rule.period.amount
    notes: tuple[Note, ...] = (Note(state_court),)
    if trigger.month == 2 and trigger.day == 29:
        # Born on February 29: 21 years later is never a leap year (21 is not a multiple of 4).
        # If the birthday is March 1 the last day is February 28 (the due date); if it is
        # February 28, February 27 (the calendar, or the business day before).
        due = date(trigger.year + years, 2, 28)
        earliest = calendar.previous_business_day(date(trigger.year + years, 2, 27))
        notes = (*notes, Note(leap_day), Note(SIJS_LEAP_DAY))
        return Deadline(
            rule.id, trigger, due, earliest, rule.citation, rule.explanation, True, notes
        )
    last_day = trigger.replace(year=trigger.year + years) - ONE_DAY
    result = _roll(rule, trigger, last_day, calendar, notes=notes, needs_review=True)
    return result


def _vd_depart(rule: Rule, trigger: date, calendar: BusinessCalendar, options: Options) -> Deadline:
    # The period is the judge's (INA 240B(a)(2)(A): at most 120 days before the conclusion of
    # proceedings; (b)(2): at most 60 at it). It rolls forward (8 CFR 1001.1(h); Monsalvo
    # Velazquez v. Bondi, 2025); the calendar keeps the business day before.
    days = options.days
    if days is None:
        raise InvalidOption("vd-depart needs the number of days the judge granted (days)")
    stage = options.vd_stage
    limit = VD_MAX_DAYS[stage or VoluntaryDepartureStage.PRE_CONCLUSION]
    if not 1 <= days <= limit:
        raise InvalidOption(
            f"a voluntary departure period of {days} days is outside 1..{limit}"
            + (f" ({stage.value})" if stage else "")
        )
    notes: tuple[Note, ...] = (Note(VD_PERIOD_GRANTED, (("days", str(days)),)),)
    needs_review = False
    if stage is None and days > VD_MAX_DAYS[VoluntaryDepartureStage.CONCLUSION]:
        notes = (*notes, Note(VD_STAGE_NOT_GIVEN))
        needs_review = True
    return _roll(
        rule,
        trigger,
        trigger + timedelta(days=days),
        calendar,
        notes=notes,
        needs_review=needs_review,
    )


def _period_for(hearing_day: date, periods: tuple[EffectivePeriod, ...]) -> EffectivePeriod | None:
    for period in periods:
        if period.covers(hearing_day):
            return period
    return None


def _prehearing_filing(
    rule: Rule, trigger: date, calendar: BusinessCalendar, options: Options
) -> Deadline:
    if options.custody is Custody.DETAINED:
        return _no_default(rule, trigger, DETAINED_SET_BY_COURT)
    notes: list[Note] = []
    if options.custody is None:
        notes.append(Note(CUSTODY_ASSUMED))
    if options.hearing is Hearing.MASTER:
        # ICPM 3.1(b)(1): 15 days before a master calendar hearing, whatever the date; the
        # periods that changed (DM 22-04 and its rescission) are those of individual hearings.
        table = MASTER_PREHEARING_PERIODS
        notes.append(Note(MASTER_HEARING))
    else:
        table = rule.effective_periods if options.periods is None else options.periods
        if options.hearing is None:
            notes.append(Note(HEARING_ASSUMED))
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
    "sijs-age-out": _sijs_age_out,
    "vd-depart": _vd_depart,
}
