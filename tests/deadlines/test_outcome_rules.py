"""Issue #14 ("Outcomes and impact"): each decision starts only the deadlines it really starts.

``plan_deadlines``' outcome loop, worked kind by kind (``outcome_rules`` gives the sources).
"""

from __future__ import annotations

import datetime

import pytest

from amparo.cases.outcomes import APPELLATE_KINDS, OutcomeKind
from amparo.deadlines.engine import compute
from amparo.deadlines.services import CaseTriggers, OutcomeTrigger, plan_deadlines

DAY = datetime.date(2026, 5, 13)
BIA_FINAL = {"bia-reconsider", "bia-reopen", "petition-for-review"}


def rules(kind: str, decided_by: str, relief: str = "", in_absentia: bool = False) -> set[str]:
    triggers = CaseTriggers(
        custody="detained",
        case_type="removal",
        outcomes=(OutcomeTrigger(1, kind, decided_by, DAY, in_absentia, relief),),
    )
    plan = plan_deadlines(triggers)
    assert all(p.source_key == "outcome:1" and p.trigger == DAY for p in plan)
    assert len(plan) == len({p.rule_id for p in plan}), "a rule planned twice"
    return {p.rule_id for p in plan}


@pytest.mark.parametrize(
    ("kind", "decided_by", "relief", "expected"),
    [
        # the Board dismisses the appeal: the judge's order is final (8 CFR 1003.1(d)(7)(i))
        ("bia_dismissed", "bia", "", BIA_FINAL),
        # a remand is no final order: nothing to reconsider, nothing to petition against
        ("bia_remanded", "bia", "", set()),
        # sustained, resulting in relief that lets the person stay: no deadline for the respondent
        ("bia_sustained", "bia", "asylum", set()),
        ("bia_sustained", "bia", "cancellation", set()),
        # sustained, resulting in withholding or CAT: the removal order stands, so review runs
        ("bia_sustained", "bia", "withholding", BIA_FINAL),
        ("bia_sustained", "bia", "cat", BIA_FINAL),
        # sustained with no stated result (e.g. DHS's appeal, removal ordered): as a final order
        ("bia_sustained", "bia", "", BIA_FINAL),
        # federal court: denied → rehearing (FRAP 40) and certiorari (S. Ct. R. 13.1)
        ("pfr_denied", "federal_court", "", {"pfr-rehearing", "cert-petition"}),
        # granted or remanded: the case returns to the Board, no deadline
        ("pfr_granted", "federal_court", "", set()),
        ("pfr_remanded", "federal_court", "", set()),
    ],
)
def test_each_appellate_outcome_starts_exactly_its_deadlines(
    kind: str, decided_by: str, relief: str, expected: set[str]
) -> None:
    assert rules(kind, decided_by, relief) == expected


def test_every_appellate_kind_is_covered_above() -> None:
    assert set(APPELLATE_KINDS) == {
        "bia_sustained",
        "bia_dismissed",
        "bia_remanded",
        "pfr_granted",
        "pfr_denied",
        "pfr_remanded",
    }


@pytest.mark.parametrize("kind", ["relief_granted", "protection_granted", "removal_order"])
def test_a_judges_final_order_starts_the_appeal_and_motions(kind: str) -> None:
    assert rules(kind, "ij") == {"bia-appeal", "ij-reconsider", "ij-reopen"}


@pytest.mark.parametrize("kind", ["admin_closed", "transfer"])
def test_administrative_closure_and_change_of_venue_start_nothing(kind: str) -> None:
    assert rules(kind, "ij") == set()
    assert rules(kind, "bia") == set()


def test_other_board_decisions_keep_their_clocks() -> None:
    assert rules(OutcomeKind.REMOVAL_ORDER, "bia") == BIA_FINAL
    assert rules(OutcomeKind.RELIEF_GRANTED, "bia", "asylum") == set()
    assert rules(OutcomeKind.PROTECTION_GRANTED, "bia", "withholding") == BIA_FINAL
    assert rules("kept_detained", "bia") == set()  # bond appeals: no petition for review


def test_a_denied_petition_gives_45_days_for_rehearing_and_90_for_certiorari() -> None:
    # 2026-05-13 (Wed) + 45 = 2026-06-27 (Sat) -> Mon 29; + 90 = 2026-08-11 (Tue)
    assert compute("pfr-rehearing", DAY).due == datetime.date(2026, 6, 29)
    assert compute("cert-petition", DAY).due == datetime.date(2026, 8, 11)
