"""The table of immigration deadlines Amparo computes: pure data, no Django.

Each rule says what starts the clock, how long it runs, which way it counts, what happens when
the last day is not a business day, where the law says so, and what is still unsettled. The
engine (`amparo.deadlines.engine`) turns a rule and a trigger date into a `Deadline`.

The texts here are English. They are marked with ``gettext_noop`` (a local no-op, so this module
imports nothing from Django) so that ``makemessages`` extracts them into the deadlines app's
catalog; the Django layer translates them when it shows them.

Counting conventions (docs/deadlines.md): calendar days; the trigger day is
day 0; filing means receipt by the court or the Board, not mailing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


def gettext_noop(message: str) -> str:
    """Mark a string for translation without translating it (Django's name, no Django)."""
    return message


class Direction(StrEnum):
    FORWARD = "forward"  # the deadline falls N days after the trigger
    BACKWARD = "backward"  # the deadline falls N days before the trigger (a hearing)


class Unit(StrEnum):
    DAYS = "days"
    YEARS = "years"


class Roll(StrEnum):
    """What happens when the counted last day is a weekend, federal holiday or closure."""

    #: The last day moves to the next business day (8 CFR 1003.38(c), FRAP 26(a), the manuals).
    NEXT_BUSINESS_DAY = "next-business-day"
    #: Backward counts: the Immigration Court Practice Manual moves the day to the next business
    #: day, but the calendar shows the earlier business day too, and the result is flagged.
    NEXT_BUSINESS_DAY_SHOW_EARLIER = "next-business-day-show-earlier"
    #: Nobody has settled whether the day moves at all (the 180-day in-absentia period): the due
    #: date moves forward, the calendar keeps the earlier business day, and the result is flagged.
    UNSETTLED = "unsettled"


class Custody(StrEnum):
    DETAINED = "detained"
    NON_DETAINED = "non-detained"


class Hearing(StrEnum):
    MASTER = "master"
    INDIVIDUAL = "individual"


#: The option names a rule may accept, as the command line spells them.
CUSTODY = "custody"
HEARING = "hearing"


@dataclass(frozen=True, slots=True)
class Period:
    amount: int
    unit: Unit


@dataclass(frozen=True, slots=True)
class EffectivePeriod:
    """A period (in days) in force for hearings on ``effective_from`` .. ``effective_to``.

    Both ends are inclusive; ``None`` means open-ended. ``confirmed`` is False until a fund
    administrator has checked the dates against the official texts.
    """

    effective_from: date | None
    effective_to: date | None
    days: int
    source: str
    confirmed: bool = False

    def covers(self, day: date) -> bool:
        if self.effective_from is not None and day < self.effective_from:
            return False
        return self.effective_to is None or day <= self.effective_to


#: The default period for filings before a non-detained hearing (ICPM 3.1(b)), by date.
#:
#: Which dates are used, and why (all of them MUST BE CONFIRMED against EOIR's own texts before
#: anyone relies on them; they come from secondary sources):
#:
#: - until 2020-12-22: 15 days (the Practice Manual since it took effect on 2008-04-01).
#: - 2020-12-23 .. 2021-12-31: 30 days. The Practice Manual version of 2020-12-23 changed the
#:   default (NIJC pro bono alert); EOIR's consolidated Policy Manual, released 2021-01-13, carried
#:   it (docs/deadlines.md gives no date). We start at the earlier date: the longer period is the safer one.
#: - 2022-01-01 .. 2025-02-13: 15 days. Director's Memorandum 22-04 ("Filing Deadlines in
#:   Non-Detained Cases") restored 15 days; its exact effective date was not available to us
#:   (DM 22-03 is dated 2021-11-22, so DM 22-04 came later; docs/deadlines.md says "Aug 2022"). We use the
#:   latest plausible start so the 30-day period is not cut short.
#: - from 2025-02-14: 30 days. Secondary sources report that PM 25-21 (2025-02-14) rescinded
#:   DM 22-04 and reinstated the 30-day default. docs/deadlines.md says Feb 2025 too; it is the most
#:   important date to confirm. If it is wrong, the engine errs early, never late.
#:
#: The table is applied by the HEARING date (the trigger), not by the filing date: the manual ties
#: the deadline to the hearing; the hearing date is known when the case is calendared, so the
#: computed date stays stable; and "the rule in force on the filing date" is circular (the filing
#: date is what we are computing). Where the two readings disagree — a hearing near a change,
#: whose counted day falls under a different period — the engine flags the result for review and
#: the calendar shows the earliest candidate.
PREHEARING_PERIODS: tuple[EffectivePeriod, ...] = (
    EffectivePeriod(None, date(2020, 12, 22), 15, "ICPM 3.1(b) (2008-2020)"),
    EffectivePeriod(
        date(2020, 12, 23), date(2021, 12, 31), 30, "ICPM 3.1(b) (2020-12-23 revision)"
    ),
    EffectivePeriod(date(2022, 1, 1), date(2025, 2, 13), 15, "ICPM 3.1(b); EOIR DM 22-04"),
    EffectivePeriod(date(2025, 2, 14), None, 30, "ICPM 3.1(b); EOIR PM 25-21"),
)

#: Arrivals before this date count from it (8 CFR 1208.4(a)(2)(ii)).
ASYLUM_CLOCK_START = date(1997, 4, 1)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    period: Period
    trigger: str
    direction: Direction
    roll: Roll
    citation: str
    explanation: str
    options: frozenset[str] = frozenset()
    #: Only for rules whose period changed over time (the pre-hearing filing period).
    effective_periods: tuple[EffectivePeriod, ...] = ()
    #: Where the law is unsettled for this rule: the engine flags results that depend on it.
    unsettled: tuple[str, ...] = field(default_factory=tuple)


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            id="bia-appeal",
            title=gettext_noop("Appeal of an immigration judge's decision to the BIA"),
            period=Period(30, Unit.DAYS),
            trigger=gettext_noop(
                "The judge's oral decision, or the mailing or service of a written decision."
            ),
            direction=Direction.FORWARD,
            roll=Roll.NEXT_BUSINESS_DAY,
            citation="8 CFR 1003.38(b)-(c)",
            explanation=gettext_noop(
                "An appeal to the Board of Immigration Appeals (form EOIR-26) is due 30 days after "
                "the judge's oral decision, or after a written decision was mailed or served. The "
                "Board must receive it by then: mailing it on the last day is not enough."
            ),
        ),
        Rule(
            id="ij-reconsider",
            title=gettext_noop("Motion to reconsider before the immigration judge"),
            period=Period(30, Unit.DAYS),
            trigger=gettext_noop("The immigration judge's final order."),
            direction=Direction.FORWARD,
            roll=Roll.NEXT_BUSINESS_DAY,
            citation="8 CFR 1003.23(b)(1)",
            explanation=gettext_noop(
                "A motion asking the immigration judge to reconsider a decision is due 30 days "
                "after the judge's final order."
            ),
        ),
        Rule(
            id="ij-reopen",
            title=gettext_noop("Motion to reopen before the immigration judge"),
            period=Period(90, Unit.DAYS),
            trigger=gettext_noop("The immigration judge's final order."),
            direction=Direction.FORWARD,
            roll=Roll.NEXT_BUSINESS_DAY,
            citation="8 CFR 1003.23(b)(1)",
            explanation=gettext_noop(
                "A motion asking the immigration judge to reopen the case is due 90 days after the "
                "judge's final order. Some motions (for example, based on changed country "
                "conditions for asylum) have exceptions: check them case by case."
            ),
        ),
        Rule(
            id="bia-reconsider",
            title=gettext_noop("Motion to reconsider before the BIA"),
            period=Period(30, Unit.DAYS),
            trigger=gettext_noop("The Board's decision."),
            direction=Direction.FORWARD,
            roll=Roll.NEXT_BUSINESS_DAY,
            citation="8 CFR 1003.2(b)(2)",
            explanation=gettext_noop(
                "A motion asking the Board of Immigration Appeals to reconsider its decision is due "
                "30 days after the Board's decision."
            ),
        ),
        Rule(
            id="bia-reopen",
            title=gettext_noop("Motion to reopen before the BIA"),
            period=Period(90, Unit.DAYS),
            trigger=gettext_noop("The Board's final decision."),
            direction=Direction.FORWARD,
            roll=Roll.NEXT_BUSINESS_DAY,
            citation="8 CFR 1003.2(c)(2)",
            explanation=gettext_noop(
                "A motion asking the Board of Immigration Appeals to reopen the case is due 90 days "
                "after the Board's final decision. Some motions have exceptions: check them case "
                "by case."
            ),
        ),
        Rule(
            id="in-absentia-rescind",
            title=gettext_noop("Motion to rescind an in-absentia removal order"),
            period=Period(180, Unit.DAYS),
            trigger=gettext_noop("The removal order entered in the person's absence."),
            direction=Direction.FORWARD,
            roll=Roll.UNSETTLED,
            citation="INA 240(b)(5)(C); 8 CFR 1003.23(b)(4)(ii)",
            explanation=gettext_noop(
                "A motion to rescind a removal order entered when the person did not appear, "
                "because of exceptional circumstances, is due 180 days after the order. If the "
                "person did not receive notice of the hearing, or was in federal or state custody "
                "and did not appear through no fault of their own, it can be filed at any time."
            ),
            unsettled=(
                gettext_noop(
                    "Whether the 180-day period moves to the next business day when it ends on a "
                    "weekend or holiday has not been settled."
                ),
            ),
        ),
        Rule(
            id="petition-for-review",
            title=gettext_noop("Petition for review in a federal court of appeals"),
            period=Period(30, Unit.DAYS),
            trigger=gettext_noop("The date of the Board's final order of removal."),
            direction=Direction.FORWARD,
            roll=Roll.NEXT_BUSINESS_DAY,
            citation="INA 242(b)(1); 8 U.S.C. 1252(b)(1); FRAP 26(a)",
            explanation=gettext_noop(
                "A petition for review must be filed with the federal court of appeals 30 days "
                "after the Board's final order. A motion to reopen or reconsider before the Board "
                "does not stop this clock."
            ),
        ),
        Rule(
            id="asylum-one-year",
            title=gettext_noop("One-year deadline to apply for asylum"),
            period=Period(1, Unit.YEARS),
            trigger=gettext_noop("The person's last arrival in the United States."),
            direction=Direction.FORWARD,
            roll=Roll.NEXT_BUSINESS_DAY,
            citation="INA 208(a)(2)(B); 8 CFR 1208.4(a)(2)",
            explanation=gettext_noop(
                "An asylum application is due one year after the person's last arrival in the "
                "United States (on the anniversary of the arrival). Changed or extraordinary "
                "circumstances can excuse a late application."
            ),
            unsettled=(
                gettext_noop(
                    "The arrival was on February 29: the law does not say whether the anniversary "
                    "in a year without February 29 is February 28 or March 1."
                ),
            ),
        ),
        Rule(
            id="prehearing-filing",
            title=gettext_noop("Filings before a hearing in immigration court"),
            period=Period(15, Unit.DAYS),
            trigger=gettext_noop("The hearing date (counted backward)."),
            direction=Direction.BACKWARD,
            roll=Roll.NEXT_BUSINESS_DAY_SHOW_EARLIER,
            citation="Immigration Court Practice Manual 3.1(b)",
            explanation=gettext_noop(
                "In a non-detained case, documents for a hearing are due a set number of days "
                "before the hearing (the hearing is day 0), unless the judge set another date."
            ),
            options=frozenset({CUSTODY, HEARING}),
            effective_periods=PREHEARING_PERIODS,
            unsettled=(
                gettext_noop(
                    "The counted day falls on a weekend or holiday: the Practice Manual moves it "
                    "to the next business day, but the calendar shows the earlier business day to "
                    "be safe."
                ),
            ),
        ),
        Rule(
            id="filing-response",
            title=gettext_noop("Response to a filing in immigration court"),
            period=Period(10, Unit.DAYS),
            trigger=gettext_noop("The day the court received the filing."),
            direction=Direction.FORWARD,
            roll=Roll.NEXT_BUSINESS_DAY,
            citation="Immigration Court Practice Manual 3.1(b)",
            explanation=gettext_noop(
                "In a non-detained case, a response to the other side's filing is due 10 days "
                "after the court received that filing."
            ),
            options=frozenset({CUSTODY}),
        ),
        Rule(
            id="bia-brief-appellant",
            title=gettext_noop("Appellant's brief to the BIA"),
            period=Period(21, Unit.DAYS),
            trigger=gettext_noop("The Board's briefing notice (briefing schedule)."),
            direction=Direction.FORWARD,
            roll=Roll.NEXT_BUSINESS_DAY,
            citation="8 CFR 1003.3(c)(1); BIA Practice Manual 4.7",
            explanation=gettext_noop(
                "The appealing party's brief is due 21 days after the Board's briefing notice."
            ),
            options=frozenset({CUSTODY}),
        ),
        Rule(
            id="bia-brief-appellee",
            title=gettext_noop("Appellee's brief to the BIA"),
            period=Period(21, Unit.DAYS),
            trigger=gettext_noop("The Board's briefing notice (briefing schedule)."),
            direction=Direction.FORWARD,
            roll=Roll.NEXT_BUSINESS_DAY,
            citation="8 CFR 1003.3(c)(1); BIA Practice Manual 4.7",
            explanation=gettext_noop(
                "In a non-detained case, the other party's brief is due 21 days after the "
                "appealing party's brief is due."
            ),
            options=frozenset({CUSTODY}),
        ),
        Rule(
            id="change-of-address",
            title=gettext_noop("Change of address notice to the immigration court"),
            period=Period(5, Unit.DAYS),
            trigger=gettext_noop("The day the person moved."),
            direction=Direction.FORWARD,
            roll=Roll.NEXT_BUSINESS_DAY,
            citation="8 CFR 1003.15(d)(2); Immigration Court Practice Manual 2.2",
            explanation=gettext_noop(
                "The court must be told of a new address (form EOIR-33) within 5 days of the move."
            ),
        ),
    )
}

#: Texts the engine adds to a result in particular situations (marked for translation).
#: Placeholders use the %(name)s form so that translations can reorder them.
ROLLED = gettext_noop(
    "The counted day, %(day)s, is not a business day (a weekend, a federal holiday or a closure), "
    "so the deadline moves to the next business day."
)
DETAINED_SET_BY_COURT = gettext_noop(
    "In a detained case the immigration court sets the filing deadlines: there is no default. "
    "Check the judge's order or scheduling notice."
)
CUSTODY_ASSUMED = gettext_noop(
    "Custody was not given: the deadline assumes a non-detained case. In a detained case the "
    "court or the Board sets different deadlines."
)
DETAINED_BRIEFS = gettext_noop(
    "In a detained case both parties' briefs are due 21 days after the briefing notice, at the "
    "same time. A reply brief may be filed within 14 days after that."
)
MASTER_HEARING = gettext_noop(
    "Before a master calendar hearing this deadline applies if you want a ruling at or before the "
    "hearing; other filings may be made at the hearing itself."
)
PREHEARING_PERIOD_USED = gettext_noop(
    "The period used is %(days)s days (the default in force for a hearing on %(hearing)s)."
)
PREHEARING_PERIOD_UNCONFIRMED = gettext_noop(
    "The default period for this date has not been confirmed against EOIR's official texts."
)
PREHEARING_TRANSITION = gettext_noop(
    "The default period changed near this hearing: under the rule in force on the filing date it "
    "could be %(days)s days. The calendar shows the earliest date."
)
BACKWARD_NO_EARLIER_DAY = gettext_noop(
    "The next business day after the counted day is not before the hearing, so the due date is "
    "the earlier business day."
)
IN_ABSENTIA_ROLLED = gettext_noop(
    "The 180th day is not a business day: the due date assumes it moves to the next business "
    "day, but the calendar shows the last business day before it to be safe."
)
ASYLUM_BEFORE_1997 = gettext_noop(
    "The arrival was before April 1, 1997: the year is counted from April 1, 1997."
)
ASYLUM_LEAP_DAY = gettext_noop(
    "The due date uses March 1; the calendar uses February 28 (or the business day before) to "
    "be safe."
)


def rule_ids() -> tuple[str, ...]:
    return tuple(RULES)
