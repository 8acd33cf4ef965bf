"""Every rule, worked by hand: weekends, federal holidays, observed holidays, leap years and
month ends. The comments count the days; the trigger day is day 0.

Pure tests: no database, no Django.
"""

from datetime import date

import pytest

from amparo.deadlines.engine import (
    Deadline,
    InvalidOption,
    TriggerOutOfRange,
    UnknownRule,
    compute,
)
from amparo.deadlines.rules import (
    APPELLEE_FROM_ORIGINAL,
    ASYLUM_BEFORE_1997,
    CUSTODY_ASSUMED,
    DETAINED_BRIEFS,
    DETAINED_SET_BY_COURT,
    MASTER_HEARING,
    PREHEARING_PERIOD_UNCONFIRMED,
    PREHEARING_TRANSITION,
    ROLLED,
    RULES,
    Custody,
    Direction,
    EffectivePeriod,
    Hearing,
    Roll,
)

D = date

RULE_IDS = {
    "bia-appeal",
    "ij-reconsider",
    "ij-reopen",
    "bia-reconsider",
    "bia-reopen",
    "in-absentia-rescind",
    "petition-for-review",
    "asylum-one-year",
    "prehearing-filing",
    "filing-response",
    "bia-brief-appellant",
    "bia-brief-appellee",
    "change-of-address",
    "vd-bond",
    "vd-depart",
    "vd-bond-proof-bia",
    "bond-stay-notice",
    "bond-stay-appeal",
    "credible-fear-review",
    "reasonable-fear-review",
    "ar-11",
    "sijs-age-out",
    "u-cert-expiry",
    "pfr-rehearing",
    "cert-petition",
}


def messages(deadline: Deadline) -> list[str]:
    return [note.message for note in deadline.notes]


def settled(deadline: Deadline, due: date) -> None:
    """A settled result: due on ``due``, the same day on the calendar, no review needed."""
    assert (deadline.due, deadline.calendar_date, deadline.needs_review) == (due, due, False)


def test_the_table_has_exactly_the_rules_of_the_design() -> None:
    assert set(RULES) == RULE_IDS
    for rule in RULES.values():
        assert rule.citation and rule.explanation and rule.trigger and rule.title


def test_unknown_rule_and_bad_options_are_refused() -> None:
    with pytest.raises(UnknownRule):
        compute("bia-apeal", D(2026, 6, 4))
    with pytest.raises(InvalidOption):
        compute("prehearing-filing", D(2026, 6, 4), custody="jail")
    with pytest.raises(InvalidOption):
        compute("prehearing-filing", D(2026, 6, 4), hearing="merits")
    with pytest.raises(TriggerOutOfRange):
        compute("bia-appeal", D(9999, 12, 31))


# --- bia-appeal: 30 days, forward ----------------------------------------------------------


def test_bia_appeal_independence_day_on_a_saturday() -> None:
    # IJ oral decision Thu 2026-06-04 + 30 = Sat 2026-07-04 (Independence Day). The observed
    # Friday 07-03 is a holiday too, but the forward roll goes to the next business day:
    # Sun 07-05 -> Mon 2026-07-06.
    deadline = compute("bia-appeal", D(2026, 6, 4))
    settled(deadline, D(2026, 7, 6))
    assert deadline.citation == "8 CFR 1003.38(b)-(c)"
    assert deadline.rule == "bia-appeal" and deadline.trigger == D(2026, 6, 4)


def test_bia_appeal_month_end_into_march_of_a_common_year() -> None:
    # Fri 2026-01-30: Jan 31 is day 1, Feb 1..28 are days 2..29, Sun Mar 1 is day 30 -> Mon 03-02.
    settled(compute("bia-appeal", D(2026, 1, 30)), D(2026, 3, 2))


def test_bia_appeal_leap_day() -> None:
    # 2028-01-30: Jan 31 is day 1, Feb 1..29 are days 2..30 -> Tue 2028-02-29, a business day.
    settled(compute("bia-appeal", D(2028, 1, 30)), D(2028, 2, 29))


def test_bia_appeal_lands_on_an_observed_holiday() -> None:
    # Wed 2027-05-19: May 31 is day 12, Jun 18 is day 30 = Fri, Juneteenth observed (the 19th is
    # a Saturday). Sat 19, Sun 20 -> Mon 2027-06-21.
    settled(compute("bia-appeal", D(2027, 5, 19)), D(2027, 6, 21))


def test_bia_appeal_plain_business_day() -> None:
    # Mon 2026-03-02 + 30: Mar 31 is day 29, Apr 1 is day 30 = Wed: no roll, no notes.
    deadline = compute("bia-appeal", D(2026, 3, 2))
    settled(deadline, D(2026, 4, 1))
    assert deadline.notes == ()


def test_closures_move_a_deadline() -> None:
    # 2032-12-21 + 30: Dec 31 is day 10, Jan 20 is day 30 = Thu 2033-01-20, Inauguration Day:
    # a business day unless the BIA's closure is passed in; then Fri 2033-01-21.
    settled(compute("bia-appeal", D(2032, 12, 21)), D(2033, 1, 20))
    settled(
        compute("bia-appeal", D(2032, 12, 21), closures=frozenset({D(2033, 1, 20)})),
        D(2033, 1, 21),
    )
    # Any collection of dates works (not only frozensets).
    settled(compute("bia-appeal", D(2032, 12, 21), closures=[D(2033, 1, 20)]), D(2033, 1, 21))


# --- ij-reconsider (30) and ij-reopen (90) ---------------------------------------------------


def test_ij_reconsider_new_years_day_observed_on_friday() -> None:
    # Wed 2027-12-01 + 30 = Fri 2027-12-31, New Year's Day 2028 observed (Jan 1 is a Saturday).
    # Sat Jan 1, Sun Jan 2 -> Mon 2028-01-03.
    settled(compute("ij-reconsider", D(2027, 12, 1)), D(2028, 1, 3))


def test_ij_reconsider_christmas_observed_on_friday() -> None:
    # 2027-11-24: Nov 30 is day 6, Dec 24 is day 30 = Fri, Christmas observed -> Mon 2027-12-27.
    settled(compute("ij-reconsider", D(2027, 11, 24)), D(2027, 12, 27))


def test_ij_reopen_memorial_day() -> None:
    # Tue 2026-02-24: Feb 28 is day 4, Mar 31 day 35, Apr 30 day 65, May 25 day 90 = Memorial
    # Day (last Monday of May) -> Tue 2026-05-26.
    settled(compute("ij-reopen", D(2026, 2, 24)), D(2026, 5, 26))


def test_ij_reopen_plain() -> None:
    # 2026-03-06: Mar 31 day 25, Apr 30 day 55, May 31 day 86, Jun 4 day 90 = Thu.
    settled(compute("ij-reopen", D(2026, 3, 6)), D(2026, 6, 4))


# --- bia-reconsider (30) and bia-reopen (90) -------------------------------------------------


def test_bia_reconsider_labor_day() -> None:
    # 2026-08-08: Aug 31 day 23, Sep 7 day 30 = Labor Day (first Monday) -> Tue 2026-09-08.
    settled(compute("bia-reconsider", D(2026, 8, 8)), D(2026, 9, 8))


def test_bia_reopen_leap_year_and_common_year() -> None:
    # 2027-12-01: Dec 31 day 30, Jan 31 day 61, Feb 29 2028 day 90 = Tue: a business day.
    settled(compute("bia-reopen", D(2027, 12, 1)), D(2028, 2, 29))
    # 2025-12-01: Dec 31 day 30, Jan 31 day 61, Feb 28 day 89, Sun Mar 1 2026 day 90 -> Mon 03-02.
    settled(compute("bia-reopen", D(2025, 12, 1)), D(2026, 3, 2))


# --- in-absentia-rescind: 180 days, rolls forward (8 CFR 1001.1(h)) --------------------------


def test_in_absentia_business_day_needs_no_review() -> None:
    # 2026-06-04: Jun 30 day 26, Jul 31 day 57, Aug 31 day 88, Sep 30 day 118, Oct 31 day 149,
    # Nov 30 day 179, Tue Dec 1 day 180: a business day, nothing to decide.
    settled(compute("in-absentia-rescind", D(2026, 6, 4)), D(2026, 12, 1))


def test_in_absentia_on_a_saturday_rolls_forward_settled() -> None:
    # 2026-06-08 + 180 = Sat 2026-12-05 (Dec 1 is a Tuesday). 8 CFR 1001.1(h) moves it to the
    # next business day, Mon 12-07: settled, no review.
    deadline = compute("in-absentia-rescind", D(2026, 6, 8))
    settled(deadline, D(2026, 12, 7))
    assert ROLLED in messages(deadline)
    assert RULES["in-absentia-rescind"].roll is Roll.NEXT_BUSINESS_DAY
    assert RULES["in-absentia-rescind"].unsettled == ()


def test_in_absentia_on_christmas() -> None:
    # 2026-06-28: Jun 30 day 2, Jul 31 day 33, Aug 31 day 64, Sep 30 day 94, Oct 31 day 125,
    # Nov 30 day 155, Fri Dec 25 day 180 (Christmas) -> Sat, Sun -> Mon 2026-12-28.
    settled(compute("in-absentia-rescind", D(2026, 6, 28)), D(2026, 12, 28))


# --- petition-for-review: 30 days -------------------------------------------------------------


def test_petition_for_review_columbus_day() -> None:
    # 2026-09-12: Sep 30 day 18, Oct 12 day 30 = Columbus Day (second Monday) -> Tue 2026-10-13.
    settled(compute("petition-for-review", D(2026, 9, 12)), D(2026, 10, 13))


def test_petition_for_review_day_after_thanksgiving_is_a_business_day() -> None:
    # 2026-10-27: Oct 31 day 4, Nov 26 day 30 = Thanksgiving -> Fri 11-27 (not a federal holiday).
    settled(compute("petition-for-review", D(2026, 10, 27)), D(2026, 11, 27))


# --- asylum-one-year -------------------------------------------------------------------------


def test_asylum_anniversary_on_independence_day() -> None:
    # Arrival 2025-07-04; anniversary Sat 2026-07-04 (holiday; Fri 07-03 observed) -> Mon 07-06.
    settled(compute("asylum-one-year", D(2025, 7, 4)), D(2026, 7, 6))


def test_asylum_year_end_lands_on_observed_new_year() -> None:
    # Arrival 2026-12-31; anniversary Fri 2027-12-31 = New Year's Day 2028 observed -> Mon 01-03.
    settled(compute("asylum-one-year", D(2026, 12, 31)), D(2028, 1, 3))


def test_asylum_february_29_arrival_needs_review() -> None:
    # Arrival Thu 2024-02-29. 2025 has no Feb 29: Feb 28 (Fri) or Mar 1 (Sat)? The due date takes
    # Mar 1 -> Sat, so Mon 2025-03-03; the calendar takes Fri 2025-02-28.
    deadline = compute("asylum-one-year", D(2024, 2, 29))
    assert deadline.due == D(2025, 3, 3)
    assert deadline.calendar_date == D(2025, 2, 28)
    assert deadline.needs_review
    assert RULES["asylum-one-year"].unsettled[0] in messages(deadline)


def test_asylum_february_29_arrival_with_business_days_on_both_sides() -> None:
    # Arrival Tue 2028-02-29: Mar 1 2029 is a Thursday (due), Feb 28 2029 a Wednesday (calendar).
    deadline = compute("asylum-one-year", D(2028, 2, 29))
    assert (deadline.due, deadline.calendar_date, deadline.needs_review) == (
        D(2029, 3, 1),
        D(2029, 2, 28),
        True,
    )


def test_asylum_february_28_arrival_is_settled() -> None:
    # Arrival Sun 2027-02-28; anniversary Mon 2028-02-28 (a leap year, but Feb 28 exists).
    settled(compute("asylum-one-year", D(2027, 2, 28)), D(2028, 2, 28))


def test_asylum_arrival_before_april_1997_counts_from_april_1997() -> None:
    # 8 CFR 1208.4(a)(2)(ii): the year runs from April 1, 1997 -> Wed 1998-04-01.
    deadline = compute("asylum-one-year", D(1995, 6, 1))
    settled(deadline, D(1998, 4, 1))
    assert ASYLUM_BEFORE_1997 in messages(deadline)
    # A Feb 29 before 1997 is not a leap-day problem: the clock starts on April 1, 1997.
    settled(compute("asylum-one-year", D(1996, 2, 29)), D(1998, 4, 1))


# --- prehearing-filing: counted backward from the hearing ------------------------------------


def test_prehearing_filing_current_period_on_a_business_day() -> None:
    # Hearing Thu 2026-06-04, 30 days (the default reinstated 2025-02-14): Jun 4 - 30 =
    # Tue 2026-05-05 (May 31 is day 4, May 5 day 30). A business day: settled.
    deadline = compute(
        "prehearing-filing", D(2026, 6, 4), custody=Custody.NON_DETAINED, hearing="individual"
    )
    settled(deadline, D(2026, 5, 5))
    assert CUSTODY_ASSUMED not in messages(deadline)
    assert PREHEARING_PERIOD_UNCONFIRMED in messages(deadline)


def test_prehearing_filing_weekend_shows_the_earlier_business_day() -> None:
    # Hearing Mon 2026-07-20 - 30 = Sat 2026-06-20. The manual moves it to Mon 06-22 (due); the
    # calendar goes back: Fri 06-19 is Juneteenth, so Thu 2026-06-18. Flagged.
    deadline = compute("prehearing-filing", D(2026, 7, 20), custody="non-detained")
    assert deadline.due == D(2026, 6, 22)
    assert deadline.calendar_date == D(2026, 6, 18)
    assert deadline.needs_review
    assert RULES["prehearing-filing"].unsettled[0] in messages(deadline)


def test_prehearing_filing_fifteen_day_era_on_independence_day() -> None:
    # Hearing Wed 2023-07-19 (15 days then): Jul 4 = day 15, Independence Day (a Tuesday).
    # Due Wed 07-05, calendar Mon 07-03.
    deadline = compute("prehearing-filing", D(2023, 7, 19), custody="non-detained")
    assert (deadline.due, deadline.calendar_date, deadline.needs_review) == (
        D(2023, 7, 5),
        D(2023, 7, 3),
        True,
    )


def test_prehearing_filing_leap_day() -> None:
    # Hearing Thu 2028-03-30 - 30: Mar 1 is day 29, Tue Feb 29 is day 30: a business day.
    settled(compute("prehearing-filing", D(2028, 3, 30), custody="non-detained"), D(2028, 2, 29))


def test_prehearing_filing_near_a_change_of_period_is_flagged() -> None:
    # Hearing Mon 2022-09-12: the table gives 15 days (from 2022-09-01) -> Sun 2022-08-28 ->
    # due Mon 08-29. Under the rule in force on the filing date the 30-day period could apply:
    # Sep 12 - 30 = Sat 2022-08-13, inside the 30-day era -> Fri 2022-08-12 on the calendar.
    deadline = compute("prehearing-filing", D(2022, 9, 12), custody="non-detained")
    assert deadline.due == D(2022, 8, 29)
    assert deadline.calendar_date == D(2022, 8, 12)
    assert deadline.needs_review
    assert PREHEARING_TRANSITION in messages(deadline)


def test_prehearing_filing_periods_are_configurable_data() -> None:
    # One confirmed 15-day period: Thu 2026-06-04 - 15 = Wed 2026-05-20; no "unconfirmed" note.
    periods = (EffectivePeriod(None, None, 15, "test", confirmed=True),)
    deadline = compute(
        "prehearing-filing", D(2026, 6, 4), custody="non-detained", prehearing_periods=periods
    )
    settled(deadline, D(2026, 5, 20))
    assert PREHEARING_PERIOD_UNCONFIRMED not in messages(deadline)


def test_prehearing_filing_detained_has_no_default() -> None:
    deadline = compute("prehearing-filing", D(2026, 6, 4), custody=Custody.DETAINED)
    assert (deadline.due, deadline.calendar_date, deadline.needs_review) == (None, None, False)
    assert deadline.explanation == DETAINED_SET_BY_COURT
    assert deadline.as_dict()["due"] is None


def test_prehearing_filing_master_hearing_and_missing_custody_are_noted() -> None:
    # Master calendar hearing Thu 2026-06-04: 15 days (ICPM 3.1(b)(1)), not the 30 restored for
    # individual hearings: May 31 is day 4, Wed May 20 is day 15, a business day.
    deadline = compute("prehearing-filing", D(2026, 6, 4), hearing=Hearing.MASTER)
    assert MASTER_HEARING in messages(deadline)
    assert CUSTODY_ASSUMED in messages(deadline)
    assert deadline.due == D(2026, 5, 20)


def test_prehearing_filing_when_closures_reach_the_hearing() -> None:
    # Hearing Fri 2026-06-19 is Juneteenth; say the court is closed every weekday from 06-04
    # (day 15 with a 15-day table) to 06-18. The next business day would not be before the
    # hearing, so the due date is the earlier business day, Wed 06-03.
    periods = (EffectivePeriod(None, None, 15, "test", confirmed=True),)
    closed = frozenset(D(2026, 6, day) for day in range(4, 19))
    deadline = compute(
        "prehearing-filing",
        D(2026, 6, 19),
        custody="non-detained",
        closures=closed,
        prehearing_periods=periods,
    )
    assert deadline.due == deadline.calendar_date == D(2026, 6, 3)
    assert deadline.needs_review


# --- filing-response: 10 days ----------------------------------------------------------------


def test_filing_response_observed_holiday() -> None:
    # Filing received Tue 2026-06-23: Jun 30 day 7, Fri Jul 3 day 10 = Independence Day
    # observed -> Sat, Sun -> Mon 2026-07-06.
    settled(compute("filing-response", D(2026, 6, 23), custody="non-detained"), D(2026, 7, 6))


def test_filing_response_christmas_and_detained() -> None:
    # Tue 2026-12-15 + 10 = Fri 12-25 (Christmas) -> Mon 2026-12-28.
    settled(compute("filing-response", D(2026, 12, 15), custody="non-detained"), D(2026, 12, 28))
    detained = compute("filing-response", D(2026, 12, 15), custody="detained")
    assert detained.due is None and detained.explanation == DETAINED_SET_BY_COURT


# --- BIA briefs: 21 days ---------------------------------------------------------------------


def test_bia_briefs_non_detained_appellee_counts_from_the_date_as_originally_set() -> None:
    # Notice Fri 2026-06-12 + 21 = Fri 07-03 (Independence Day observed) -> appellant Mon 07-06.
    # Appellee (8 CFR 1003.3(c)(1), "as originally set"): 07-03 + 21 = Fri 2026-07-24, a
    # business day. From the moved date it would be 07-06 + 21 = Mon 07-27: flagged, and the
    # calendar shows the earlier 07-24.
    settled(compute("bia-brief-appellant", D(2026, 6, 12), custody="non-detained"), D(2026, 7, 6))
    appellee = compute("bia-brief-appellee", D(2026, 6, 12), custody="non-detained")
    assert (appellee.due, appellee.calendar_date, appellee.needs_review) == (
        D(2026, 7, 24),
        D(2026, 7, 24),
        True,
    )
    note = next(n for n in appellee.notes if n.message == APPELLEE_FROM_ORIGINAL)
    assert dict(note.params) == {
        "original": "2026-07-03",
        "moved": "2026-07-06",
        "later": "2026-07-27",
    }
    assert appellee.trigger == D(2026, 6, 12)
    assert appellee.rule == "bia-brief-appellee"


def test_bia_brief_appellee_when_the_appellants_day_did_not_move() -> None:
    # Notice Mon 2026-03-02 + 21 = Mon 03-23 (appellant, a business day); + 21 = Mon 2026-04-13.
    settled(compute("bia-brief-appellee", D(2026, 3, 2), custody="non-detained"), D(2026, 4, 13))


def test_bia_brief_appellee_original_day_and_own_day_both_roll() -> None:
    # Notice Sat 2026-10-31 (a notice dated on a weekend, to make the point) + 21 = Sat 11-21
    # (appellant moves to Mon 11-23). Appellee as originally set: 11-21 + 21 = Sat 12-12 -> Mon
    # 2026-12-14. From the moved date: 11-23 + 21 = Mon 12-14 too: same day, still flagged.
    appellee = compute("bia-brief-appellee", D(2026, 10, 31), custody="non-detained")
    assert (appellee.due, appellee.calendar_date, appellee.needs_review) == (
        D(2026, 12, 14),
        D(2026, 12, 14),
        True,
    )


def test_bia_briefs_detained_are_due_together() -> None:
    # Detained: both 21 days from the notice: Mon 2026-07-06 for both.
    appellant = compute("bia-brief-appellant", D(2026, 6, 12), custody="detained")
    appellee = compute("bia-brief-appellee", D(2026, 6, 12), custody="detained")
    assert appellant.due == appellee.due == D(2026, 7, 6)
    assert appellee.explanation == DETAINED_BRIEFS
    assert DETAINED_BRIEFS in messages(appellant)
    # 8 CFR 1003.3(c)(1): in custody cases "reply briefs shall be permitted only by leave of
    # the Board" -- the note must not promise a reply as of right.
    assert "only with the Board's leave" in DETAINED_BRIEFS
    assert "1003.3(c)(1)" in DETAINED_BRIEFS


def test_bia_brief_leap_day() -> None:
    # 2028-02-08 + 21 = Tue 2028-02-29.
    settled(compute("bia-brief-appellant", D(2028, 2, 8)), D(2028, 2, 29))


# --- change-of-address: 5 days ---------------------------------------------------------------


def test_change_of_address_across_the_year_end() -> None:
    # Moved Thu 2026-12-31 + 5 = Tue 2027-01-05.
    settled(compute("change-of-address", D(2026, 12, 31)), D(2027, 1, 5))
    # Moved Sun 2026-12-20 + 5 = Fri 12-25 (Christmas) -> Mon 2026-12-28.
    settled(compute("change-of-address", D(2026, 12, 20)), D(2026, 12, 28))
    # Moved Sun 2027-12-26 + 5 = Fri 12-31 (New Year's Day 2028 observed) -> Mon 2028-01-03.
    settled(compute("change-of-address", D(2027, 12, 26)), D(2028, 1, 3))


def test_rules_that_do_not_use_an_option_ignore_it() -> None:
    plain = compute("bia-appeal", D(2026, 6, 4))
    assert compute("bia-appeal", D(2026, 6, 4), custody="detained", hearing="master") == plain


def test_directions() -> None:
    assert RULES["prehearing-filing"].direction is Direction.BACKWARD
    assert all(
        rule.direction is Direction.FORWARD
        for rule in RULES.values()
        if rule.id != "prehearing-filing"
    )
