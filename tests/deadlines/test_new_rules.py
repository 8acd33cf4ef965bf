"""Issue #14 ("The law, second edition"): business days, the master-calendar period, and the new
rules, worked by hand. The trigger day is day 0; for business days, business day 1 is the first
business day after the trigger. 2026's federal holidays used below: Jan 1 (Thu), Jan 19 (MLK),
Feb 16, May 25, Jun 19 (Fri), Jul 3 (Fri, Independence Day observed; Jul 4 is a Saturday),
Sep 7, Oct 12, Nov 11 (Wed), Nov 26 (Thanksgiving), Dec 25 (Fri).

Pure tests: no database, no Django.
"""

from datetime import date

import pytest

from amparo.deadlines.engine import Deadline, InvalidOption, add_months, compute
from amparo.deadlines.rules import (
    DEPART_CALENDAR_EARLIER,
    FEDERAL_CLOSURES,
    HEARING_ASSUMED,
    MASTER_HEARING,
    MONTH_END_CLAMPED,
    NEVER_LATER,
    PREHEARING_PERIOD_USED,
    RULES,
    SIJS_LEAP_DAY,
    UNACCOMPANIED_EXEMPT,
    UNSETTLED_ROLLED,
    VD_ENDS_ON_FILING,
    VD_PERIOD_GRANTED,
    VD_STAGE_NOT_GIVEN,
    WITHHOLDING_ONLY_PFR,
    ClosureScope,
    Roll,
    Unit,
    closure_dates,
)

D = date


def messages(deadline: Deadline) -> list[str]:
    return [note.message for note in deadline.notes]


def settled(deadline: Deadline, due: date) -> None:
    assert (deadline.due, deadline.calendar_date, deadline.needs_review) == (due, due, False)


def shown(deadline: Deadline) -> tuple[date | None, date | None, bool]:
    return deadline.due, deadline.calendar_date, deadline.needs_review


def test_every_new_rule_cites_its_source() -> None:
    citations = {
        "vd-bond": "8 CFR 1240.26(c)(3)(i)",
        "vd-depart": "INA 240B",
        "vd-bond-proof-bia": "8 CFR 1240.26(c)(3)(ii)",
        "bond-stay-notice": "8 CFR 1003.19(i)(2)",
        "bond-stay-appeal": "8 CFR 1003.6(c)(1)",
        "credible-fear-review": "8 CFR 1003.42(e)",
        "reasonable-fear-review": "8 CFR 1208.31(g)",
        "ar-11": "INA 265(a)",
        "sijs-age-out": "8 CFR 204.11(b)",
        "u-cert-expiry": "8 CFR 214.14(c)(2)(i)",
        "pfr-rehearing": "FRAP 40",
        "cert-petition": "Supreme Court Rules 13.1",
    }
    for rule_id, source in citations.items():
        assert source in RULES[rule_id].citation, rule_id
    assert "8 CFR 1001.1(h)" in RULES["vd-depart"].citation
    assert "Monsalvo" in RULES["vd-depart"].citation
    assert "30.1" in RULES["cert-petition"].citation


# --- business days ---------------------------------------------------------------------------


def test_vd_bond_counts_business_days_over_thanksgiving() -> None:
    # Order Fri 2026-11-20: Mon 11-23 (1), Tue 11-24 (2), Wed 11-25 (3), Thu 11-26 is
    # Thanksgiving (skipped), Fri 11-27 (4), Mon 11-30 (5). Five calendar days would be 11-25.
    deadline = compute("vd-bond", D(2026, 11, 20))
    settled(deadline, D(2026, 11, 30))
    assert RULES["vd-bond"].period.unit is Unit.BUSINESS_DAYS
    assert deadline.notes == ()


def test_vd_bond_over_christmas_and_with_a_closure() -> None:
    # Order Mon 2026-12-21: Tue 22 (1), Wed 23 (2), Thu 24 (3), Fri 25 Christmas (skipped),
    # Mon 28 (4), Tue 2026-12-29 (5).
    settled(compute("vd-bond", D(2026, 12, 21)), D(2026, 12, 29))
    # If Thu 12-24 is a closure too: Tue 22 (1), Wed 23 (2), Mon 28 (3), Tue 29 (4), Wed 30 (5).
    settled(compute("vd-bond", D(2026, 12, 21), closures={D(2026, 12, 24)}), D(2026, 12, 30))


def test_vd_bond_across_a_month_end_and_a_weekend() -> None:
    # Order Thu 2026-01-29: Fri 01-30 (1), Sat and Sun skipped, Mon 02-02 (2), Tue 02-03 (3),
    # Wed 02-04 (4), Thu 2026-02-05 (5).
    settled(compute("vd-bond", D(2026, 1, 29)), D(2026, 2, 5))


def test_vd_bond_with_the_listed_executive_order_closures_of_2025() -> None:
    # Order Mon 2025-12-22. Without closures: Tue 23 (1), Wed 24 (2), Thu 25 Christmas, Fri 26
    # (3), Mon 29 (4), Tue 2025-12-30 (5). With the executive-order closures of Wed 12-24 and
    # Fri 12-26 (listed, unconfirmed): Tue 23 (1), Mon 29 (2), Tue 30 (3), Wed 31 (4), Thu Jan 1
    # is New Year's Day, Fri 2026-01-02 (5).
    settled(compute("vd-bond", D(2025, 12, 22)), D(2025, 12, 30))
    closed = closure_dates(frozenset({ClosureScope.NATIONWIDE}))
    settled(compute("vd-bond", D(2025, 12, 22), closures=closed), D(2026, 1, 2))


def test_bond_stay_notice_one_business_day() -> None:
    # Order Thu 2026-07-02: the next day, Fri 07-03, is Independence Day observed; Sat, Sun ->
    # Mon 2026-07-06.
    settled(compute("bond-stay-notice", D(2026, 7, 2)), D(2026, 7, 6))
    # Order Fri 2026-01-16: Sat, Sun, Mon 01-19 is Martin Luther King Jr. Day -> Tue 01-20.
    settled(compute("bond-stay-notice", D(2026, 1, 16)), D(2026, 1, 20))
    # Order Tue 2026-03-31 (month end) -> Wed 2026-04-01.
    settled(compute("bond-stay-notice", D(2026, 3, 31)), D(2026, 4, 1))


def test_bond_stay_appeal_ten_business_days() -> None:
    # Order Mon 2026-11-16: Tue 17 (1), Wed 18 (2), Thu 19 (3), Fri 20 (4), Mon 23 (5), Tue 24
    # (6), Wed 25 (7), Thu 26 Thanksgiving, Fri 27 (8), Mon 30 (9), Tue 2026-12-01 (10).
    settled(compute("bond-stay-appeal", D(2026, 11, 16)), D(2026, 12, 1))
    # Order Fri 2026-12-18: Mon 21 (1), Tue 22 (2), Wed 23 (3), Thu 24 (4), Fri 25 Christmas,
    # Mon 28 (5), Tue 29 (6), Wed 30 (7), Thu 31 (8), Fri 2027-01-01 New Year's Day, Mon 01-04
    # (9), Tue 2027-01-05 (10): across the year end.
    settled(compute("bond-stay-appeal", D(2026, 12, 18)), D(2027, 1, 5))


# --- voluntary departure ----------------------------------------------------------------------


def test_vd_depart_on_a_business_day() -> None:
    # Order Thu 2026-06-04, 60 days at the conclusion: Jun 30 is day 26, Jul 31 day 57, Mon
    # 2026-08-03 day 60, a business day.
    deadline = compute("vd-depart", D(2026, 6, 4), days=60, vd_stage="conclusion")
    settled(deadline, D(2026, 8, 3))
    assert VD_PERIOD_GRANTED in messages(deadline)
    assert dict(deadline.notes[0].params) == {"days": "60"}


def test_vd_depart_on_a_sunday_moves_forward_and_the_calendar_shows_the_friday() -> None:
    # Order Wed 2026-06-10, 60 days: Jun 30 day 20, Jul 31 day 51, Sun 08-09 day 60. The last
    # day moves to Mon 2026-08-10 (8 CFR 1001.1(h); Monsalvo Velazquez); the calendar shows Fri
    # 08-07. Settled law: not flagged.
    deadline = compute("vd-depart", D(2026, 6, 10), days=60, vd_stage="conclusion")
    assert shown(deadline) == (D(2026, 8, 10), D(2026, 8, 7), False)
    assert DEPART_CALENDAR_EARLIER in messages(deadline)
    assert RULES["vd-depart"].roll is Roll.NEXT_BUSINESS_DAY_CALENDAR_EARLIER


def test_vd_depart_on_thanksgiving_before_the_conclusion() -> None:
    # Order Wed 2026-07-29, 120 days before the conclusion: Jul 31 day 2, Aug 31 day 33, Sep 30
    # day 63, Oct 31 day 94, Thu Nov 26 day 120 = Thanksgiving. Due Fri 11-27; calendar Wed 11-25.
    deadline = compute("vd-depart", D(2026, 7, 29), days=120, vd_stage="pre-conclusion")
    assert shown(deadline) == (D(2026, 11, 27), D(2026, 11, 25), False)


def test_vd_depart_without_a_stage_over_60_days_is_flagged() -> None:
    # Order Thu 2026-06-04, 90 days: Jun 30 day 26, Jul 31 day 57, Aug 31 day 88, Wed 09-02 day
    # 90. Allowed only before the conclusion of proceedings: flagged for a check of the order.
    deadline = compute("vd-depart", D(2026, 6, 4), days=90)
    assert shown(deadline) == (D(2026, 9, 2), D(2026, 9, 2), True)
    assert VD_STAGE_NOT_GIVEN in messages(deadline)
    # 60 days or fewer is allowed at either stage: no flag.
    assert not compute("vd-depart", D(2026, 6, 4), days=60).needs_review


@pytest.mark.parametrize(
    ("days", "stage"),
    [(None, None), (0, None), (121, None), (121, "pre-conclusion"), (61, "conclusion"), (-5, None)],
)
def test_vd_depart_refuses_a_period_the_law_does_not_allow(
    days: int | None, stage: str | None
) -> None:
    with pytest.raises(InvalidOption):
        compute("vd-depart", D(2026, 6, 4), days=days, vd_stage=stage)


def test_vd_depart_refuses_an_unknown_stage() -> None:
    with pytest.raises(InvalidOption):
        compute("vd-depart", D(2026, 6, 4), days=30, vd_stage="merits")


def test_vd_bond_proof_to_the_bia() -> None:
    # Appeal filed Wed 2026-11-25: Nov 30 day 5, Fri Dec 25 day 30 = Christmas -> Mon 12-28.
    settled(compute("vd-bond-proof-bia", D(2026, 11, 25)), D(2026, 12, 28))
    # Filed Fri 2026-01-30: Jan 31 day 1, Feb 28 day 29, Sun Mar 1 day 30 -> Mon 2026-03-02.
    settled(compute("vd-bond-proof-bia", D(2026, 1, 30)), D(2026, 3, 2))


# --- fear reviews (7 and 10 days; whether they roll is unsettled) ------------------------------


def test_credible_fear_review() -> None:
    # Approved Mon 2026-06-01 + 7 = Mon 06-08, a business day: settled.
    settled(compute("credible-fear-review", D(2026, 6, 1)), D(2026, 6, 8))
    # Approved Fri 2026-06-12 + 7 = Fri 06-19, Juneteenth: due Mon 06-22, calendar Thu 06-18,
    # flagged with the reason.
    deadline = compute("credible-fear-review", D(2026, 6, 12))
    assert shown(deadline) == (D(2026, 6, 22), D(2026, 6, 18), True)
    assert RULES["credible-fear-review"].unsettled[0] in messages(deadline)
    assert UNSETTLED_ROLLED in messages(deadline)
    # Approved Sat 2026-02-21 + 7 = Sat 02-28 (month end): due Mon 03-02, calendar Fri 02-27.
    assert shown(compute("credible-fear-review", D(2026, 2, 21))) == (
        D(2026, 3, 2),
        D(2026, 2, 27),
        True,
    )


def test_reasonable_fear_review() -> None:
    # Referral filed Mon 2026-06-01 + 10 = Thu 06-11: settled.
    settled(compute("reasonable-fear-review", D(2026, 6, 1)), D(2026, 6, 11))
    # Mon 2026-11-16 + 10 = Thu 11-26, Thanksgiving: due Fri 11-27, calendar Wed 11-25.
    assert shown(compute("reasonable-fear-review", D(2026, 11, 16))) == (
        D(2026, 11, 27),
        D(2026, 11, 25),
        True,
    )
    # Thu 2026-01-22 + 10 = Sun 02-01: due Mon 02-02, calendar Fri 01-30 (Jan 31 is a Saturday).
    assert shown(compute("reasonable-fear-review", D(2026, 1, 22))) == (
        D(2026, 2, 2),
        D(2026, 1, 30),
        True,
    )


# --- AR-11 ------------------------------------------------------------------------------------


def test_ar_11_beside_the_courts_eoir_33() -> None:
    # Moved Mon 2026-06-01: AR-11 + 10 = Thu 06-11 (settled); EOIR-33 + 5 = Sat 06-06 -> Mon 06-08.
    settled(compute("ar-11", D(2026, 6, 1)), D(2026, 6, 11))
    settled(compute("change-of-address", D(2026, 6, 1)), D(2026, 6, 8))
    assert "EOIR-33" in RULES["ar-11"].explanation


def test_ar_11_weekend_holiday_and_month_end_are_flagged() -> None:
    # Moved Wed 2026-12-02 + 10 = Sat 12-12: due Mon 12-14, calendar Fri 12-11.
    assert shown(compute("ar-11", D(2026, 12, 2))) == (D(2026, 12, 14), D(2026, 12, 11), True)
    # Moved Tue 2026-12-15 + 10 = Fri 12-25, Christmas: due Mon 12-28, calendar Thu 12-24.
    assert shown(compute("ar-11", D(2026, 12, 15))) == (D(2026, 12, 28), D(2026, 12, 24), True)
    # Moved Wed 2026-01-21 + 10 = Sat 01-31: due Mon 02-02, calendar Fri 01-30.
    assert shown(compute("ar-11", D(2026, 1, 21))) == (D(2026, 2, 2), D(2026, 1, 30), True)


# --- SIJS: before the 21st birthday, never later ----------------------------------------------


def test_sijs_day_before_the_birthday_on_a_sunday_is_never_moved_later() -> None:
    # Born 2005-06-15: 21st birthday Mon 2026-06-15; last day Sun 06-14 (due, not moved to
    # Monday: that is the birthday). The calendar shows Fri 06-12. Always flagged: the state
    # court's age limit comes first.
    deadline = compute("sijs-age-out", D(2005, 6, 15))
    assert shown(deadline) == (D(2026, 6, 14), D(2026, 6, 12), True)
    assert NEVER_LATER in messages(deadline)
    assert RULES["sijs-age-out"].unsettled[0] in messages(deadline)


def test_sijs_day_before_the_birthday_on_a_holiday() -> None:
    # Born 2005-07-05: birthday Sun 2026-07-05; last day Sat 07-04 (Independence Day). Fri 07-03
    # is its observed day, so the calendar shows Thu 2026-07-02.
    assert shown(compute("sijs-age-out", D(2005, 7, 5))) == (D(2026, 7, 4), D(2026, 7, 2), True)
    # Born 2005-11-27: birthday Fri 2026-11-27; last day Thu 11-26 (Thanksgiving) -> calendar
    # Wed 11-25.
    assert shown(compute("sijs-age-out", D(2005, 11, 27))) == (
        D(2026, 11, 26),
        D(2026, 11, 25),
        True,
    )


def test_sijs_month_end_and_leap_years() -> None:
    # Born 2007-03-02: birthday Thu 2028-03-02, last day Wed 03-01, a business day.
    assert shown(compute("sijs-age-out", D(2007, 3, 2))) == (D(2028, 3, 1), D(2028, 3, 1), True)
    # Born 2007-03-01: birthday Wed 2028-03-01, last day Tue 2028-02-29 (a leap year).
    assert shown(compute("sijs-age-out", D(2007, 3, 1))) == (D(2028, 2, 29), D(2028, 2, 29), True)


def test_sijs_born_on_february_29() -> None:
    # Born 2008-02-29; 2029 has no Feb 29 (21 is never a multiple of 4). Birthday Mar 1 -> last
    # day Wed 2029-02-28 (due); birthday Feb 28 -> last day Tue 02-27 (calendar).
    deadline = compute("sijs-age-out", D(2008, 2, 29))
    assert shown(deadline) == (D(2029, 2, 28), D(2029, 2, 27), True)
    assert SIJS_LEAP_DAY in messages(deadline)
    assert RULES["sijs-age-out"].unsettled[1] in messages(deadline)
    # Born 2012-02-29: Mon 2033-02-28 (due); Feb 27 is a Sunday, so the calendar shows Fri 02-25.
    assert shown(compute("sijs-age-out", D(2012, 2, 29))) == (D(2033, 2, 28), D(2033, 2, 25), True)


# --- U visa certification: six months, month-end clamping ---------------------------------------


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(D(2026, 8, 31), 6) == (D(2027, 2, 28), True)
    assert add_months(D(2027, 8, 31), 6) == (D(2028, 2, 29), True)  # a leap year
    assert add_months(D(2026, 3, 15), 6) == (D(2026, 9, 15), False)
    assert add_months(D(2026, 12, 31), 2) == (D(2027, 2, 28), True)
    assert add_months(D(2026, 7, 31), 6) == (D(2027, 1, 31), False)  # across the year end


def test_u_cert_month_end_on_a_sunday_never_moves_later() -> None:
    # Signed Mon 2026-08-31; six months later there is no Feb 31: the last day of February,
    # Sun 2027-02-28 (due, not moved to Monday). The calendar shows Fri 2027-02-26.
    deadline = compute("u-cert-expiry", D(2026, 8, 31))
    assert shown(deadline) == (D(2027, 2, 28), D(2027, 2, 26), False)
    assert MONTH_END_CLAMPED in messages(deadline)
    assert NEVER_LATER in messages(deadline)


def test_u_cert_leap_year_and_holiday_and_plain() -> None:
    # Signed 2027-08-31 -> Tue 2028-02-29 (a leap year), a business day.
    settled(compute("u-cert-expiry", D(2027, 8, 31)), D(2028, 2, 29))
    # Signed 2026-06-25 -> Fri 2026-12-25, Christmas: due stays 12-25, calendar Thu 12-24.
    assert shown(compute("u-cert-expiry", D(2026, 6, 25))) == (
        D(2026, 12, 25),
        D(2026, 12, 24),
        False,
    )
    # Signed Sun 2026-03-15 -> Tue 2026-09-15.
    settled(compute("u-cert-expiry", D(2026, 3, 15)), D(2026, 9, 15))


# --- federal courts ---------------------------------------------------------------------------


def test_pfr_rehearing_45_days() -> None:
    # Judgment Tue 2026-11-10: Nov 30 day 20, Fri Dec 25 day 45 = Christmas -> Mon 12-28.
    settled(compute("pfr-rehearing", D(2026, 11, 10)), D(2026, 12, 28))
    # Judgment Thu 2026-01-15: Jan 31 day 16, Feb 28 day 44, Sun Mar 1 day 45 -> Mon 03-02.
    settled(compute("pfr-rehearing", D(2026, 1, 15)), D(2026, 3, 2))


def test_cert_petition_90_days() -> None:
    # Judgment Thu 2026-06-04: Jun 30 day 26, Jul 31 day 57, Aug 31 day 88, Wed Sep 2 day 90.
    settled(compute("cert-petition", D(2026, 6, 4)), D(2026, 9, 2))
    # Judgment Tue 2026-06-09: Jun 30 day 21, Jul 31 day 52, Aug 31 day 83, Mon Sep 7 day 90 =
    # Labor Day -> Tue 2026-09-08 (Rule 30.1).
    settled(compute("cert-petition", D(2026, 6, 9)), D(2026, 9, 8))
    # Judgment 2027-12-01: Dec 31 day 30, Jan 31 day 61, Tue Feb 29 2028 day 90 (a leap year).
    settled(compute("cert-petition", D(2027, 12, 1)), D(2028, 2, 29))


# --- what filing one thing costs another -------------------------------------------------------


@pytest.mark.parametrize(
    "rule_id", ["ij-reopen", "ij-reconsider", "bia-reopen", "bia-reconsider", "petition-for-review"]
)
def test_voluntary_departure_warning_on_motions_and_the_petition_for_review(rule_id: str) -> None:
    plain = compute(rule_id, D(2026, 9, 12))
    warned = compute(rule_id, D(2026, 9, 12), voluntary_departure=True)
    assert VD_ENDS_ON_FILING not in messages(plain)
    assert VD_ENDS_ON_FILING in messages(warned)
    # The dates do not change; the warning is a note, not a review of the law.
    assert shown(warned) == shown(plain)


def test_other_rules_ignore_the_voluntary_departure_option() -> None:
    assert compute("bia-appeal", D(2026, 6, 4), voluntary_departure=True) == compute(
        "bia-appeal", D(2026, 6, 4)
    )


def test_petition_for_review_in_a_withholding_only_case() -> None:
    # Order Sat 2026-09-12 + 30 = Mon 10-12, Columbus Day -> Tue 10-13; flagged: the trigger must
    # be the reinstated or administrative removal order (Riley v. Bondi, 2025).
    deadline = compute("petition-for-review", D(2026, 9, 12), withholding_only=True)
    assert shown(deadline) == (D(2026, 10, 13), D(2026, 10, 13), True)
    assert WITHHOLDING_ONLY_PFR in messages(deadline)
    # Other rules ignore it.
    assert not compute("bia-appeal", D(2026, 9, 12), withholding_only=True).needs_review


# --- when no clock runs ----------------------------------------------------------------------


def test_unaccompanied_child_has_no_one_year_deadline() -> None:
    deadline = compute("asylum-one-year", D(2025, 7, 4), unaccompanied=True)
    assert shown(deadline) == (None, None, False)
    assert messages(deadline) == [UNACCOMPANIED_EXEMPT]
    assert deadline.as_dict()["due"] is None
    # Other rules ignore the option.
    settled(compute("bia-appeal", D(2026, 6, 4), unaccompanied=True), D(2026, 7, 6))


# --- the pre-hearing fix: master 15 days, individual by date -------------------------------------


def test_master_hearing_is_15_days_in_every_era() -> None:
    # Master Mon 2026-07-20 - 15 = Sun 07-05: due Mon 07-06; the calendar goes back past Sat
    # 07-04 and Fri 07-03 (observed) to Thu 2026-07-02. Flagged (the backward roll).
    master = compute("prehearing-filing", D(2026, 7, 20), custody="non-detained", hearing="master")
    assert shown(master) == (D(2026, 7, 6), D(2026, 7, 2), True)
    assert MASTER_HEARING in messages(master)
    used = next(n for n in master.notes if n.message == PREHEARING_PERIOD_USED)
    assert dict(used.params)["days"] == "15"
    # Master Mon 2021-06-14, in the era when individual hearings had 30 days: still 15 -> Sun
    # 05-30; Mon 05-31 is Memorial Day, so due Tue 06-01; calendar Fri 05-28.
    master_2021 = compute(
        "prehearing-filing", D(2021, 6, 14), custody="non-detained", hearing="master"
    )
    assert shown(master_2021) == (D(2021, 6, 1), D(2021, 5, 28), True)
    # The same day, individual: 30 days -> Sat 05-15: due Mon 05-17, calendar Fri 05-14.
    individual_2021 = compute(
        "prehearing-filing", D(2021, 6, 14), custody="non-detained", hearing="individual"
    )
    assert shown(individual_2021) == (D(2021, 5, 17), D(2021, 5, 14), True)


def test_unknown_hearing_kind_assumes_the_individual_period() -> None:
    # Thu 2026-06-04, no hearing kind: 30 days (individual) -> Tue 05-05, with a note saying so.
    deadline = compute("prehearing-filing", D(2026, 6, 4), custody="non-detained")
    settled(deadline, D(2026, 5, 5))
    assert HEARING_ASSUMED in messages(deadline)
    individual = compute(
        "prehearing-filing", D(2026, 6, 4), custody="non-detained", hearing="individual"
    )
    assert HEARING_ASSUMED not in messages(individual)


# --- known closures as data ------------------------------------------------------------------


def test_federal_closures_are_dated_sourced_data() -> None:
    days = [c.day for c in FEDERAL_CLOSURES]
    assert days == sorted(days) and len(set(days)) == len(days)
    for closure in FEDERAL_CLOSURES:
        assert closure.name and closure.source
        assert closure.day.weekday() < 5, closure  # a closure only matters on a weekday
    nationwide = closure_dates()
    assert D(2024, 12, 24) in nationwide and D(2021, 1, 20) not in nationwide
    everything = closure_dates(frozenset(ClosureScope))
    assert {D(2021, 1, 20), D(2025, 1, 20)} <= everything
    confirmed = closure_dates(frozenset(ClosureScope), confirmed_only=True)
    assert D(2025, 12, 24) not in confirmed and D(2025, 12, 26) not in confirmed
    assert D(2020, 12, 24) in confirmed


def test_a_listed_closure_moves_a_deadline() -> None:
    # Decision Sun 2024-11-24 + 30: Nov 30 day 6, Tue Dec 24 day 30, closed by executive order;
    # Wed 12-25 is Christmas -> Thu 2024-12-26.
    settled(compute("bia-appeal", D(2024, 11, 24)), D(2024, 12, 24))
    settled(compute("bia-appeal", D(2024, 11, 24), closures=closure_dates()), D(2024, 12, 26))
