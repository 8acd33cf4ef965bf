"""The table of immigration deadlines Amparo computes: pure data, no Django.

Each rule says what starts the clock, how long it runs, which way it counts, what happens when
the last day is not a business day, where the law says so, and what is still unsettled. The
engine (`amparo.deadlines.engine`) turns a rule and a trigger date into a `Deadline`.

The texts here are English. They are marked with ``gettext_noop`` (a local no-op, so this module
imports nothing from Django) so that ``makemessages`` extracts them into the deadlines app's
catalog; the Django layer translates them when it shows them.

Counting conventions (docs/deadlines.md): calendar days unless a rule counts
business days; the trigger day is day 0; filing means receipt by the court or the Board, not
mailing. A business day is a Monday to Friday that is not a federal legal holiday (5 U.S.C. 6103)
and not an extra closure passed to the engine (`FEDERAL_CLOSURES` lists the known ones); the
first business day after the trigger is business day 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

# Re-exported: the engine and the command read them from here with the rest of the table.
from amparo.cases.voluntary_departure import VD_MAX_DAYS as VD_MAX_DAYS
from amparo.cases.voluntary_departure import (
    VoluntaryDepartureStage as VoluntaryDepartureStage,
)

# Re-exported: the engine and the command read them from here with the rest of the table.


def gettext_noop(message: str) -> str:
    """Mark a string for translation without translating it (Django's name, no Django)."""
    return message


class Direction(StrEnum):
    FORWARD = "forward"  # the deadline falls N days after the trigger
    BACKWARD = "backward"  # the deadline falls N days before the trigger (a hearing)


class Unit(StrEnum):
    DAYS = "days"
    #: Weekends, federal holidays and closures are skipped while counting (8 CFR 1240.26(c)(3)(i),
    #: 8 CFR 1003.19(i)(2), 8 CFR 1003.6(c)(1) say "business days"): the result is always one.
    BUSINESS_DAYS = "business-days"
    #: Same day number N months later; a day the month lacks (Aug 31 + 6 months) is clamped to the
    #: month's last day (Feb 28/29): the earlier reading, so a filing on it is never late.
    MONTHS = "months"
    YEARS = "years"


class Roll(StrEnum):
    """What happens when the counted last day is a weekend, federal holiday or closure."""

    #: The last day moves to the next business day (8 CFR 1001.1(h), 8 CFR 1003.38(c), FRAP 26(a),
    #: Supreme Court Rule 30.1, the manuals).
    NEXT_BUSINESS_DAY = "next-business-day"
    #: Backward counts: the Immigration Court Practice Manual moves the day to the next business
    #: day, but the calendar shows the earlier business day too, and the result is flagged.
    NEXT_BUSINESS_DAY_SHOW_EARLIER = "next-business-day-show-earlier"
    #: Nobody has settled whether the day moves at all (the judge's time to review a fear
    #: finding, a filing with DHS): the due date moves forward, the calendar keeps the earlier
    #: business day, and the result is flagged.
    UNSETTLED = "unsettled"
    #: Settled that the last day moves to the next business day, but what is at stake is leaving
    #: the country (voluntary departure), which can be done early: the calendar keeps the earlier
    #: business day. Not flagged.
    NEXT_BUSINESS_DAY_CALENDAR_EARLIER = "next-business-day-calendar-earlier"
    #: The last day never moves forward (an age limit, a certification that expires): the due date
    #: is the counted day itself, weekend or not; the calendar shows the business day on or before.
    NEVER_FORWARD = "never-forward"


class Custody(StrEnum):
    DETAINED = "detained"
    NON_DETAINED = "non-detained"


class Hearing(StrEnum):
    MASTER = "master"
    INDIVIDUAL = "individual"


#: The option names a rule may accept, as the command line spells them.
CUSTODY = "custody"
HEARING = "hearing"
DAYS = "days"
VD_STAGE = "vd-stage"
VOLUNTARY_DEPARTURE = "voluntary-departure"
WITHHOLDING_ONLY = "withholding-only"
UNACCOMPANIED = "unaccompanied"
#: The names above (not texts to translate).
OPTION_NAMES = frozenset(
    {CUSTODY, HEARING, DAYS, VD_STAGE, VOLUNTARY_DEPARTURE, WITHHOLDING_ONLY, UNACCOMPANIED}
)


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


#: The default period for filings before a non-detained INDIVIDUAL (merits) hearing
#: (ICPM 3.1(b)(2)), by date. A MASTER calendar hearing has its own rule, below.
#:
#: Which dates are used, and why (all of them MUST BE CONFIRMED against EOIR's own texts before
#: anyone relies on them; they come from secondary sources):
#:
#: - until 2020-12-22: 15 days (the Practice Manual since it took effect on 2008-04-01).
#: - 2020-12-23 .. 2022-08-31: 30 days. The Practice Manual version of 2020-12-23 changed the
#:   default for individual hearings (NIJC pro bono alert); EOIR's consolidated Policy Manual,
#:   released 2021-01-13, carried it. We start at the earlier date: the longer period is safer.
#: - 2022-09-01 .. 2025-02-13: 15 days. Director's Memorandum 22-04 ("Filing Deadlines in
#:   Non-Detained Cases") restored 15 days; docs/deadlines.md dates it August 2022 and its exact
#:   effective day was not available to us, so the 15 days start after that month ends: for a
#:   hearing in August the engine gives 30 days, which may be early but is never late (this table
#:   used to start the 15 days on 2022-01-01: 15 days where 30 still applied, a late date).
#: - from 2025-02-14: 30 days. PM 25-21 (February 2025) rescinded DM 22-04 and restored the
#:   30-day default FOR INDIVIDUAL HEARINGS ONLY (docs/deadlines.md: "30 again since its
#:   rescission in Feb 2025"). The exact day is the most important one to confirm. If it is
#:   wrong, the engine errs early, never late.
#:
#: The table is applied by the HEARING date (the trigger), not by the filing date: the manual ties
#: the deadline to the hearing; the hearing date is known when the case is calendared, so the
#: computed date stays stable; and "the rule in force on the filing date" is circular (the filing
#: date is what we are computing). Where the two readings disagree — a hearing near a change,
#: whose counted day falls under a different period — the engine flags the result for review and
#: the calendar shows the earliest candidate. When the kind of hearing is not given, the engine
#: uses this table (the longer period, the safer guess) and says so.
PREHEARING_PERIODS: tuple[EffectivePeriod, ...] = (
    EffectivePeriod(None, date(2020, 12, 22), 15, "ICPM 3.1(b) (2008-2020)"),
    EffectivePeriod(
        date(2020, 12, 23), date(2022, 8, 31), 30, "ICPM 3.1(b)(2) (2020-12-23 revision)"
    ),
    EffectivePeriod(date(2022, 9, 1), date(2025, 2, 13), 15, "ICPM 3.1(b)(2); EOIR DM 22-04"),
    EffectivePeriod(date(2025, 2, 14), None, 30, "ICPM 3.1(b)(2); EOIR PM 25-21"),
)

#: Filings before a non-detained MASTER calendar hearing: 15 days before it, and only when a
#: ruling is wanted at or before the hearing (ICPM 3.1(b)(1)). This period did not change with
#: DM 22-04 or its rescission (docs/deadlines.md). Unconfirmed like the table
#: above until a fund administrator checks it against the current manual.
MASTER_PREHEARING_PERIODS: tuple[EffectivePeriod, ...] = (
    EffectivePeriod(None, None, 15, "ICPM 3.1(b)(1)"),
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


def forward_rule(
    *,
    id: str,
    title: str,
    period: Period,
    trigger: str,
    citation: str,
    explanation: str,
    roll: Roll = Roll.NEXT_BUSINESS_DAY,
    options: frozenset[str] = frozenset(),
    unsettled: tuple[str, ...] = (),
) -> Rule:
    """A rule counted forward from its trigger; its last day moves to the next business day
    unless ``roll`` says otherwise."""
    return Rule(
        id=id,
        title=title,
        period=period,
        trigger=trigger,
        direction=Direction.FORWARD,
        roll=roll,
        citation=citation,
        explanation=explanation,
        options=options,
        unsettled=unsettled,
    )


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        forward_rule(
            id="bia-appeal",
            title=gettext_noop("Appeal of an immigration judge's decision to the BIA"),
            period=Period(30, Unit.DAYS),
            trigger=gettext_noop(
                "The judge's oral decision, or the mailing or service of a written decision."
            ),
            citation="8 CFR 1003.38(b)-(c)",
            explanation=gettext_noop(
                "An appeal to the Board of Immigration Appeals (form EOIR-26) is due 30 days after "
                "the judge's oral decision, or after a written decision was mailed or served. The "
                "Board must receive it by then: mailing it on the last day is not enough."
            ),
        ),
        forward_rule(
            id="ij-reconsider",
            title=gettext_noop("Motion to reconsider before the immigration judge"),
            period=Period(30, Unit.DAYS),
            trigger=gettext_noop("The immigration judge's final order."),
            citation="8 CFR 1003.23(b)(1)",
            # Filing it ends a voluntary departure grant: 8 CFR 1240.26(b)(3)(iii).
            options=frozenset({VOLUNTARY_DEPARTURE}),
            explanation=gettext_noop(
                "A motion asking the immigration judge to reconsider a decision is due 30 days "
                "after the judge's final order."
            ),
        ),
        forward_rule(
            id="ij-reopen",
            title=gettext_noop("Motion to reopen before the immigration judge"),
            period=Period(90, Unit.DAYS),
            trigger=gettext_noop("The immigration judge's final order."),
            citation="8 CFR 1003.23(b)(1)",
            # Filing it ends a voluntary departure grant: 8 CFR 1240.26(b)(3)(iii).
            options=frozenset({VOLUNTARY_DEPARTURE}),
            explanation=gettext_noop(
                "A motion asking the immigration judge to reopen the case is due 90 days after the "
                "judge's final order. Some motions (for example, based on changed country "
                "conditions for asylum) have exceptions: check them case by case."
            ),
        ),
        forward_rule(
            id="bia-reconsider",
            title=gettext_noop("Motion to reconsider before the BIA"),
            period=Period(30, Unit.DAYS),
            trigger=gettext_noop("The Board's decision."),
            citation="8 CFR 1003.2(b)(2)",
            # Filing it ends a voluntary departure grant: 8 CFR 1240.26(b)(3)(iii).
            options=frozenset({VOLUNTARY_DEPARTURE}),
            explanation=gettext_noop(
                "A motion asking the Board of Immigration Appeals to reconsider its decision is due "
                "30 days after the Board's decision."
            ),
        ),
        forward_rule(
            id="bia-reopen",
            title=gettext_noop("Motion to reopen before the BIA"),
            period=Period(90, Unit.DAYS),
            trigger=gettext_noop("The Board's final decision."),
            citation="8 CFR 1003.2(c)(2)",
            # Filing it ends a voluntary departure grant: 8 CFR 1240.26(b)(3)(iii).
            options=frozenset({VOLUNTARY_DEPARTURE}),
            explanation=gettext_noop(
                "A motion asking the Board of Immigration Appeals to reopen the case is due 90 days "
                "after the Board's final decision. Some motions have exceptions: check them case "
                "by case."
            ),
        ),
        forward_rule(
            id="in-absentia-rescind",
            title=gettext_noop("Motion to rescind an in-absentia removal order"),
            period=Period(180, Unit.DAYS),
            trigger=gettext_noop("The removal order entered in the person's absence."),
            # Settled: 8 CFR 1001.1(h) moves the last day of a period in this chapter off a
            # Saturday, Sunday or legal holiday (the Supreme Court relied on it for voluntary
            # departure in Monsalvo Velazquez v. Bondi, 2025). Formerly flagged as unsettled.
            roll=Roll.NEXT_BUSINESS_DAY,
            citation="INA 240(b)(5)(C); 8 CFR 1003.23(b)(4)(ii); 8 CFR 1001.1(h)",
            explanation=gettext_noop(
                "A motion to rescind a removal order entered when the person did not appear, "
                "because of exceptional circumstances, is due 180 days after the order. If the "
                "person did not receive notice of the hearing, or was in federal or state custody "
                "and did not appear through no fault of their own, it can be filed at any time."
            ),
        ),
        forward_rule(
            id="petition-for-review",
            title=gettext_noop("Petition for review in a federal court of appeals"),
            period=Period(30, Unit.DAYS),
            trigger=gettext_noop("The date of the Board's final order of removal."),
            citation="INA 242(b)(1); 8 U.S.C. 1252(b)(1); FRAP 26(a)",
            # Filing it ends a voluntary departure grant (8 CFR 1240.26(i)); in withholding-only
            # cases the clock runs from the reinstated or administrative removal order (Riley v.
            # Bondi, U.S. 2025).
            options=frozenset({VOLUNTARY_DEPARTURE, WITHHOLDING_ONLY}),
            explanation=gettext_noop(
                "A petition for review must be filed with the federal court of appeals 30 days "
                "after the Board's final order. A motion to reopen or reconsider before the Board "
                "does not stop this clock."
            ),
        ),
        forward_rule(
            id="asylum-one-year",
            title=gettext_noop("One-year deadline to apply for asylum"),
            period=Period(1, Unit.YEARS),
            trigger=gettext_noop("The person's last arrival in the United States."),
            citation="INA 208(a)(2)(B); 8 CFR 1208.4(a)(2)",
            # Unaccompanied children are exempt: INA 208(a)(2)(E).
            options=frozenset({UNACCOMPANIED}),
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
            # ICPM 3.1(b)(1) (master calendar: 15 days, when a ruling is wanted at or before the
            # hearing) and 3.1(b)(2) (individual hearings: `PREHEARING_PERIODS`).
            citation="Immigration Court Practice Manual 3.1(b)",
            explanation=gettext_noop(
                "In a non-detained case, documents for a hearing are due a set number of days "
                "before the hearing (the hearing is day 0), unless the judge set another date: 15 "
                "days before a master calendar hearing, and the period in force before an "
                "individual hearing."
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
        forward_rule(
            id="filing-response",
            title=gettext_noop("Response to a filing in immigration court"),
            period=Period(10, Unit.DAYS),
            trigger=gettext_noop("The day the court received the filing."),
            citation="Immigration Court Practice Manual 3.1(b)",
            explanation=gettext_noop(
                "In a non-detained case, a response to the other side's filing is due 10 days "
                "after the court received that filing."
            ),
            options=frozenset({CUSTODY}),
        ),
        forward_rule(
            id="bia-brief-appellant",
            title=gettext_noop("Appellant's brief to the BIA"),
            period=Period(21, Unit.DAYS),
            trigger=gettext_noop("The Board's briefing notice (briefing schedule)."),
            citation="8 CFR 1003.3(c)(1); BIA Practice Manual 4.7",
            explanation=gettext_noop(
                "The appealing party's brief is due 21 days after the Board's briefing notice."
            ),
            options=frozenset({CUSTODY}),
        ),
        forward_rule(
            id="bia-brief-appellee",
            title=gettext_noop("Appellee's brief to the BIA"),
            period=Period(21, Unit.DAYS),
            trigger=gettext_noop("The Board's briefing notice (briefing schedule)."),
            citation="8 CFR 1003.3(c)(1); BIA Practice Manual 4.7",
            explanation=gettext_noop(
                "In a non-detained case, the other party's brief is due 21 days after the "
                "appealing party's brief was due, as originally set or as extended by the Board."
            ),
            options=frozenset({CUSTODY}),
        ),
        forward_rule(
            id="change-of-address",
            title=gettext_noop("Change of address notice to the immigration court"),
            period=Period(5, Unit.DAYS),
            trigger=gettext_noop("The day the person moved."),
            citation="8 CFR 1003.15(d)(2); Immigration Court Practice Manual 2.2",
            explanation=gettext_noop(
                "The court must be told of a new address (form EOIR-33) within 5 days of the move."
            ),
        ),
        # --- voluntary departure ------------------------------------------------------------
        forward_rule(
            id="vd-bond",
            title=gettext_noop("Voluntary departure bond"),
            period=Period(5, Unit.BUSINESS_DAYS),
            trigger=gettext_noop("The immigration judge's order granting voluntary departure."),
            # 8 CFR 1240.26(c)(3)(i): the bond is posted with DHS within 5 business days of the
            # order; (c)(4): without it the grant is vacated and the alternate order takes effect.
            citation="8 CFR 1240.26(c)(3)(i), (c)(4)",
            explanation=gettext_noop(
                "When the judge grants voluntary departure at the conclusion of proceedings, the "
                "bond must be posted with DHS within 5 business days of the order (weekends, "
                "federal holidays and closures do not count). If it is not posted, voluntary "
                "departure ends and the alternate order of removal takes effect."
            ),
        ),
        forward_rule(
            id="vd-depart",
            title=gettext_noop("Voluntary departure: leave the United States"),
            period=Period(0, Unit.DAYS),  # the period the judge granted (`days` option)
            trigger=gettext_noop("The order granting voluntary departure."),
            # The last day moves to the next business day: 8 CFR 1001.1(h), as the Supreme Court
            # held in Monsalvo Velazquez v. Bondi (2025). Leaving earlier costs nothing, so the
            # calendar shows the business day before.
            roll=Roll.NEXT_BUSINESS_DAY_CALENDAR_EARLIER,
            citation=(
                "INA 240B; 8 CFR 1240.26(e); 8 CFR 1001.1(h); Monsalvo Velazquez v. Bondi (2025)"
            ),
            explanation=gettext_noop(
                "The person must leave the United States by the end of the period the judge "
                "granted for voluntary departure: at most 120 days when granted before the "
                "conclusion of proceedings, at most 60 days at the conclusion. Leaving late "
                "brings a civil fine and years of ineligibility for relief."
            ),
            options=frozenset({DAYS, VD_STAGE}),
        ),
        forward_rule(
            id="vd-bond-proof-bia",
            title=gettext_noop("Proof of the voluntary departure bond to the BIA"),
            period=Period(30, Unit.DAYS),
            trigger=gettext_noop("The filing of the appeal to the Board."),
            roll=Roll.NEXT_BUSINESS_DAY,  # a filing with the Board: 8 CFR 1001.1(h)
            citation="8 CFR 1240.26(c)(3)(ii); 8 CFR 1001.1(h)",
            explanation=gettext_noop(
                "A person granted voluntary departure who appeals must give the Board proof that "
                "the bond was posted within 30 days of filing the appeal; otherwise the Board "
                "will not reinstate the voluntary departure period."
            ),
        ),
        # --- custody (bond) --------------------------------------------------------------
        forward_rule(
            id="bond-stay-notice",
            title=gettext_noop("DHS notice of intent to appeal a bond order (automatic stay)"),
            period=Period(1, Unit.BUSINESS_DAYS),
            trigger=gettext_noop("The immigration judge's bond (custody redetermination) order."),
            # 8 CFR 1003.19(i)(2): the order is stayed only if DHS files form EOIR-43 within one
            # business day of it (and only where DHS denied bond or set $10,000 or more).
            citation="8 CFR 1003.19(i)(2)",
            explanation=gettext_noop(
                "When DHS had denied bond or set a bond of $10,000 or more, the judge's order is "
                "stayed automatically only if DHS files a notice of intent to appeal (form "
                "EOIR-43) within 1 business day of the order. If it does not, there is no "
                "automatic stay and the person can be released under the judge's order."
            ),
        ),
        forward_rule(
            id="bond-stay-appeal",
            title=gettext_noop("DHS appeal of a bond order (end of the automatic stay)"),
            period=Period(10, Unit.BUSINESS_DAYS),
            trigger=gettext_noop("The immigration judge's bond (custody redetermination) order."),
            # 8 CFR 1003.6(c)(1): the automatic stay lapses if DHS does not file its appeal with
            # the Board within ten business days of the order.
            citation="8 CFR 1003.6(c)(1)",
            explanation=gettext_noop(
                "An automatic stay of a bond order lapses unless DHS files its appeal with the "
                "Board within 10 business days of the judge's order."
            ),
        ),
        # --- fear screenings -------------------------------------------------------------
        forward_rule(
            id="credible-fear-review",
            title=gettext_noop("Immigration judge's review of a negative credible fear finding"),
            period=Period(7, Unit.DAYS),
            trigger=gettext_noop(
                "The supervisory asylum officer's approval of the negative credible fear "
                "determination."
            ),
            roll=Roll.UNSETTLED,
            # 8 CFR 1003.42(e): within 24 hours to the maximum extent practicable, and in no case
            # later than 7 days after the negative determination was approved.
            citation="8 CFR 1003.42(e)",
            explanation=gettext_noop(
                "The immigration judge must finish reviewing a negative credible fear finding "
                "within 7 days of the supervisory asylum officer's approval of it (within 24 "
                "hours where practicable). This is the judge's deadline: prepare the person "
                "before it."
            ),
            unsettled=(
                gettext_noop(
                    "Whether the judge's time to review a fear finding moves to the next business "
                    "day when it ends on a weekend or holiday has not been settled."
                ),
            ),
        ),
        forward_rule(
            id="reasonable-fear-review",
            title=gettext_noop("Immigration judge's review of a negative reasonable fear finding"),
            period=Period(10, Unit.DAYS),
            trigger=gettext_noop(
                "The filing of the Notice of Referral to Immigration Judge with the court, after "
                "the asylum officer's negative reasonable fear determination."
            ),
            roll=Roll.UNSETTLED,
            # 8 CFR 1208.31(g): absent exceptional circumstances, the review is held within 10
            # days of the filing of the Notice of Referral with the immigration court.
            citation="8 CFR 1208.31(g)",
            explanation=gettext_noop(
                "Unless there are exceptional circumstances, the immigration judge must review a "
                "negative reasonable fear finding within 10 days of the filing of the referral "
                "with the court. This is the judge's deadline: prepare the person before it."
            ),
            unsettled=(
                gettext_noop(
                    "Whether the judge's time to review a fear finding moves to the next business "
                    "day when it ends on a weekend or holiday has not been settled."
                ),
            ),
        ),
        # --- filings with DHS / USCIS ------------------------------------------------------
        forward_rule(
            id="ar-11",
            title=gettext_noop("Change of address notice to DHS (AR-11)"),
            period=Period(10, Unit.DAYS),
            trigger=gettext_noop("The day the person moved."),
            # INA 265(a): within ten days of the change. 8 CFR 1001.1(h) governs EOIR filings,
            # not DHS ones, so whether the day moves is not settled: flag it.
            roll=Roll.UNSETTLED,
            citation="INA 265(a); 8 U.S.C. 1305(a); 8 CFR 265.1",
            explanation=gettext_noop(
                "DHS must be told of a new address (form AR-11, which can be filed online) within "
                "10 days of the move. This is separate from the immigration court's form "
                "EOIR-33, due within 5 days: file both."
            ),
            unsettled=(
                gettext_noop(
                    "Whether a 10-day period for a filing with DHS moves to the next business "
                    "day when it ends on a weekend or holiday has not been settled."
                ),
            ),
        ),
        forward_rule(
            id="sijs-age-out",
            title=gettext_noop("Special Immigrant Juvenile petition (I-360) before age 21"),
            period=Period(21, Unit.YEARS),
            trigger=gettext_noop("The child's date of birth."),
            # 8 CFR 204.11(b)(1): the petitioner must be under 21 when the petition is filed, so
            # the last day is the day before the 21st birthday and never moves forward.
            roll=Roll.NEVER_FORWARD,
            citation="8 CFR 204.11(b)",
            explanation=gettext_noop(
                "The Special Immigrant Juvenile petition (form I-360) must be filed before the "
                "child's 21st birthday: the last day is the day before it, and it never moves "
                "later. The state court order it needs must come first, often well before."
            ),
            unsettled=(
                gettext_noop(
                    "The state juvenile court must issue its order while it still has "
                    "jurisdiction over the child, and in many states that ends at 18: check the "
                    "state's age limit."
                ),
                gettext_noop(
                    "The child was born on February 29: the law does not say whether the 21st "
                    "birthday in a year without February 29 is February 28 or March 1."
                ),
            ),
        ),
        forward_rule(
            id="u-cert-expiry",
            title=gettext_noop("U visa petition before the certification expires"),
            period=Period(6, Unit.MONTHS),
            trigger=gettext_noop("The certifying official's signature on Supplement B."),
            # 8 CFR 214.14(c)(2)(i): Supplement B must be signed within the six months before
            # the I-918 is filed. Month-end convention: the same day number six months later,
            # clamped to the last day of a shorter month (Aug 31 -> Feb 28/29), the earlier
            # reading. No rule moves a USCIS filing off a weekend, so it never moves forward.
            roll=Roll.NEVER_FORWARD,
            citation="8 CFR 214.14(c)(2)(i)",
            explanation=gettext_noop(
                "The U visa petition (form I-918) must be filed with Supplement B signed by the "
                "certifying official within the six months before the filing. After the date "
                "below a new certification is needed."
            ),
        ),
        # --- federal courts ----------------------------------------------------------------
        forward_rule(
            id="pfr-rehearing",
            title=gettext_noop("Petition for rehearing in a federal court of appeals"),
            period=Period(45, Unit.DAYS),
            trigger=gettext_noop("The entry of the court of appeals' judgment."),
            roll=Roll.NEXT_BUSINESS_DAY,  # FRAP 26(a)(1)(C)
            # FRAP 40(d)(1) (40(a)(1) before the 2024 amendments): 45 days when the United
            # States, its agency or officer is a party, as in every petition for review.
            citation="FRAP 40(d)(1); FRAP 26(a)",
            explanation=gettext_noop(
                "A petition for panel rehearing or rehearing en banc is due 45 days after the "
                "court of appeals enters its judgment when the United States is a party, as it "
                "is in a petition for review. A court order or local rule may change it."
            ),
        ),
        forward_rule(
            id="cert-petition",
            title=gettext_noop("Petition for a writ of certiorari to the Supreme Court"),
            period=Period(90, Unit.DAYS),
            trigger=gettext_noop(
                "The entry of the court of appeals' judgment, or its denial of a timely petition "
                "for rehearing."
            ),
            roll=Roll.NEXT_BUSINESS_DAY,  # Supreme Court Rule 30.1
            # Sup. Ct. R. 13.1: 90 days after entry of the judgment; 13.3: from the denial of a
            # timely rehearing petition; 30.1: a last day on a weekend, federal holiday or
            # closure of the Court moves to the next day that is none of these.
            citation="Supreme Court Rules 13.1, 13.3, 30.1",
            explanation=gettext_noop(
                "A petition for a writ of certiorari is due at the Supreme Court 90 days after "
                "the court of appeals' judgment, or after it denied a timely petition for "
                "rehearing."
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
    "same time. A reply brief may be filed only with the Board's leave (8 CFR 1003.3(c)(1)): ask "
    "for it by motion."
)
MASTER_HEARING = gettext_noop(
    "Before a master calendar hearing the period is 15 days, and it applies only if you want a "
    "ruling at or before the hearing; other filings may be made at the hearing itself."
)
HEARING_ASSUMED = gettext_noop(
    "The kind of hearing was not given: the deadline assumes an individual hearing, whose period "
    "is the longer one. Before a master calendar hearing it is 15 days."
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
UNSETTLED_ROLLED = gettext_noop(
    "The last day is not a business day: the due date assumes it moves to the next business "
    "day, but the calendar shows the last business day before it to be safe."
)
APPELLEE_FROM_ORIGINAL = gettext_noop(
    "The appellant's brief was set for %(original)s, which is not a business day, so it became "
    "due on %(moved)s. The appellee's 21 days run from the date as originally set; counted from "
    "the moved date they would end on %(later)s. The calendar shows the earlier date."
)
VD_ENDS_ON_FILING = gettext_noop(
    "Voluntary departure was granted: filing a motion to reopen or reconsider, or a petition for "
    "review, ends the grant of voluntary departure and the alternate order of removal takes "
    "effect."
)
WITHHOLDING_ONLY_PFR = gettext_noop(
    "Withholding-only case: the 30 days run from the reinstated or administrative removal order, "
    "not from the Board's decision (Riley v. Bondi, 2025), so use that order's date as the "
    "trigger. The deadline is not jurisdictional, but the government can still enforce it."
)
UNACCOMPANIED_EXEMPT = gettext_noop(
    "No one-year deadline runs: an unaccompanied child is exempt from it (INA 208(a)(2)(E)). "
    "File as early as possible all the same."
)
VD_PERIOD_GRANTED = gettext_noop("The period the judge granted: %(days)s days.")
VD_STAGE_NOT_GIVEN = gettext_noop(
    "The stage was not given: more than 60 days may be granted only before the conclusion of "
    "proceedings. Check the judge's order."
)
DEPART_CALENDAR_EARLIER = gettext_noop(
    "The last day, %(day)s, is not a business day: it moves to the next business day (8 CFR "
    "1001.1(h)), but the calendar shows the business day before, since leaving early is safe."
)
NEVER_LATER = gettext_noop(
    "The last day, %(day)s, is not a business day. It never moves later: the calendar shows the "
    "business day before."
)
SIJS_LEAP_DAY = gettext_noop(
    "The due date treats March 1 as the 21st birthday (last day February 28); the calendar treats "
    "it as February 28 (last day February 27, or the business day before) to be safe."
)
MONTH_END_CLAMPED = gettext_noop(
    "The month six months later has no day %(day)s: the period ends on that month's last day."
)
ASYLUM_BEFORE_1997 = gettext_noop(
    "The arrival was before April 1, 1997: the year is counted from April 1, 1997."
)
ASYLUM_LEAP_DAY = gettext_noop(
    "The due date uses March 1; the calendar uses February 28 (or the business day before) to "
    "be safe."
)


class ClosureScope(StrEnum):
    """Who is closed on a listed day."""

    #: Every federal office: the Board and every immigration court.
    NATIONWIDE = "nationwide"
    #: The Inauguration Day area of 5 U.S.C. 6103(c) (DC; Montgomery and Prince George's counties,
    #: Maryland; Arlington and Fairfax counties, Alexandria and Falls Church, Virginia): the Board
    #: in Falls Church and the immigration courts there.
    DC_AREA = "dc-area"


@dataclass(frozen=True, slots=True)
class Closure:
    """A known day federal offices were closed that is not a 5 U.S.C. 6103(a) holiday.

    ``confirmed`` is False for days we could not verify against the official text.
    """

    day: date
    name: str
    source: str
    scope: ClosureScope
    confirmed: bool


#: Known extra federal closures since 2020, as pure data. The engine does not apply them by
#: itself: pass `closure_dates(...)` (with any closures an administrator adds) as ``closures``.
#: Future entries must be added when known: Inauguration Day 2033-01-20 (2029-01-20 is a
#: Saturday; 6103(c) moves only a Sunday January 20, to the 21st) and new executive orders.
FEDERAL_CLOSURES: tuple[Closure, ...] = (
    Closure(
        date(2020, 12, 24),
        gettext_noop("Christmas Eve (executive order)"),
        "Executive Order 13960 (2020-12-11)",
        ClosureScope.NATIONWIDE,
        confirmed=True,
    ),
    Closure(
        date(2021, 1, 20),
        gettext_noop("Inauguration Day"),
        "5 U.S.C. 6103(c)",
        ClosureScope.DC_AREA,
        confirmed=True,
    ),
    Closure(
        date(2024, 12, 24),
        gettext_noop("Christmas Eve (executive order)"),
        # Executive order signed 2024-12-19; its number was not checked here.
        "Executive order of 2024-12-19",
        ClosureScope.NATIONWIDE,
        confirmed=True,
    ),
    Closure(
        date(2025, 1, 9),
        gettext_noop("National Day of Mourning for President Carter (executive order)"),
        # Executive order of late December 2024; its number was not checked here.
        "Executive order of December 2024",
        ClosureScope.NATIONWIDE,
        confirmed=True,
    ),
    Closure(
        # Also Martin Luther King Jr. Day, a 6103(a) holiday: listed for completeness.
        date(2025, 1, 20),
        gettext_noop("Inauguration Day"),
        "5 U.S.C. 6103(c)",
        ClosureScope.DC_AREA,
        confirmed=True,
    ),
    # UNCONFIRMED: reported as given by an executive order of December 2025; we could not
    # verify the order's text. Confirm before relying on them.
    Closure(
        date(2025, 12, 24),
        gettext_noop("Christmas Eve (executive order)"),
        "Executive order of December 2025 (unconfirmed)",
        ClosureScope.NATIONWIDE,
        confirmed=False,
    ),
    Closure(
        date(2025, 12, 26),
        gettext_noop("Day after Christmas (executive order)"),
        "Executive order of December 2025 (unconfirmed)",
        ClosureScope.NATIONWIDE,
        confirmed=False,
    ),
)


def closure_dates(
    scopes: frozenset[ClosureScope] = frozenset({ClosureScope.NATIONWIDE}),
    *,
    confirmed_only: bool = False,
) -> frozenset[date]:
    """The listed closure days for these scopes (the Board: both scopes), for ``closures``."""
    return frozenset(
        c.day for c in FEDERAL_CLOSURES if c.scope in scopes and (c.confirmed or not confirmed_only)
    )


def rule_ids() -> tuple[str, ...]:
    return tuple(RULES)
