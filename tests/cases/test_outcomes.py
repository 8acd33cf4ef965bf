"""Issue #14 ("Outcomes and impact"): every outcome kind falls in exactly one category;
withholding and CAT are protection with a removal order, never relief; administrative closure
and change of venue leave the case open; appellate decisions start only their own deadlines."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from amparo.cases import services
from amparo.cases.models import Case
from amparo.cases.outcomes import (
    CATEGORY_OF,
    FAMILY_OF,
    GRANTS,
    OUTCOMES_BY_CASE_TYPE,
    OutcomeCategory,
    OutcomeFamily,
    OutcomeKind,
    ProtectionGranted,
    ReliefGranted,
    category_of,
)
from amparo.cases.workflow import available_transitions
from amparo.deadlines.models import CaseDeadline
from amparo.reports import metrics
from tests.clock import FROZEN_TODAY, frozen

TODAY = FROZEN_TODAY
DAY = datetime.timedelta(days=1)
PROTECTION = ("withholding", "cat")


def test_every_outcome_kind_falls_in_exactly_one_category_and_one_family() -> None:
    assert set(CATEGORY_OF) == set(OutcomeKind.values)
    assert set(FAMILY_OF) == set(OutcomeKind.values)
    assert set(CATEGORY_OF.values()) <= set(OutcomeCategory.values)
    assert set(FAMILY_OF.values()) <= set(OutcomeFamily.values)
    for kind in OutcomeKind.values:
        assert category_of(kind) == CATEGORY_OF[kind]


def test_withholding_and_cat_are_never_relief_granted() -> None:
    assert not set(PROTECTION) & set(ReliefGranted.values)
    assert set(ProtectionGranted.values) == set(PROTECTION)
    assert CATEGORY_OF[OutcomeKind.PROTECTION_GRANTED] == OutcomeCategory.PROTECTION
    for kind in OutcomeKind.values:
        for relief in PROTECTION:
            assert category_of(kind, relief) != OutcomeCategory.RELIEF
            assert not metrics._group_of(kind, relief).startswith("relief")
    # an old row of relief granted with withholding counts as protection too
    assert metrics._group_of("relief_granted", "withholding") == "protection"
    assert metrics.outcome_column("protection_granted", "cat") == "protection"
    assert metrics.outcome_column("relief_granted", "asylum") == "relief"
    assert "protection" in metrics.OUTCOME_COLUMNS
    assert metrics.outcome_column("terminated") == "terminated"


def test_closure_change_of_venue_and_appeals_are_not_completions() -> None:
    for kind in ("admin_closed", "transfer", "pending"):
        assert CATEGORY_OF[kind] == OutcomeCategory.OPEN
        assert metrics._group_of(kind, "") == "open"
    for kind in ("bia_sustained", "bia_dismissed", "bia_remanded", "pfr_granted", "pfr_denied"):
        assert CATEGORY_OF[kind] == OutcomeCategory.APPEAL
    assert "relief_granted" not in OUTCOMES_BY_CASE_TYPE["withholding_only"]
    assert "bia_dismissed" in OUTCOMES_BY_CASE_TYPE["removal"]
    assert set(GRANTS["bia_sustained"]) == {*ReliefGranted.values, *ProtectionGranted.values}


@pytest.fixture
def lead(org: Any, attorney_of: Callable[..., Any]) -> Any:
    return attorney_of(org)


@pytest.fixture
def case(org: Any, lead: Any, open_case: Callable[..., Case]) -> Case:
    return open_case(org, lead)


def active_rules(case: Case) -> set[str]:
    return set(
        CaseDeadline.objects.filter(case=case, is_active=True).values_list("rule_id", flat=True)
    )


@pytest.mark.django_db
@frozen
@pytest.mark.parametrize("kind", ["admin_closed", "transfer"])
def test_closure_and_change_of_venue_are_recorded_and_the_case_stays_open(
    case: Case, lead: Any, kind: str
) -> None:
    services.case_transition(case=case, name="activate", by=lead)
    outcome = services.outcome_record(
        case=case, kind=kind, decided_by="ij", decision_date=TODAY - DAY, by=lead
    )
    case.refresh_from_db()
    assert outcome.pk and case.status == "active"
    assert "close" not in {t.name for t in available_transitions(lead, case)}
    assert active_rules(case) == set()
    assert metrics.compute().completed == 0


@pytest.mark.django_db
@frozen
def test_protection_is_recorded_as_its_own_outcome_not_as_relief(case: Case, lead: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        services.outcome_record(
            case=case,
            kind="relief_granted",
            relief="withholding",
            decided_by="ij",
            decision_date=TODAY - DAY,
            by=lead,
        )
    assert "relief" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.outcome_record(
            case=case,
            kind="protection_granted",
            relief="asylum",
            decided_by="ij",
            decision_date=TODAY - DAY,
            by=lead,
        )
    services.outcome_record(
        case=case,
        kind="protection_granted",
        relief="cat",
        decided_by="ij",
        decision_date=TODAY - DAY,
        by=lead,
    )
    case.refresh_from_db()
    assert case.status == "decided"
    assert active_rules(case) == {"bia-appeal", "ij-reconsider", "ij-reopen"}
    m = metrics.compute()
    assert (m.completed, m.relief, m.protection) == (1, 0, 1)
    assert m.relief_rate == 0 and m.protection_rate == 1


@pytest.mark.django_db
@frozen
def test_appellate_outcomes_need_their_own_court_and_start_only_their_deadlines(
    case: Case, lead: Any
) -> None:
    services.outcome_record(
        case=case, kind="removal_order", decided_by="ij", decision_date=TODAY - 90 * DAY, by=lead
    )
    services.case_transition(case=case, name="appeal", by=lead)
    with pytest.raises(ValidationError) as refused:
        services.outcome_record(
            case=case, kind="bia_dismissed", decided_by="ij", decision_date=TODAY, by=lead
        )
    assert "decided_by" in refused.value.message_dict
    ij_rules = {"bia-appeal", "ij-reconsider", "ij-reopen"}
    remand = services.outcome_record(
        case=case, kind="bia_remanded", decided_by="bia", decision_date=TODAY - 60 * DAY, by=lead
    )
    case.refresh_from_db()
    assert case.status == "appeal"  # a remand is not final: the case stays where it was
    assert active_rules(case) == ij_rules
    services.outcome_record(
        case=case, kind="bia_dismissed", decided_by="bia", decision_date=TODAY - 30 * DAY, by=lead
    )
    assert active_rules(case) == ij_rules | {"bia-reconsider", "bia-reopen", "petition-for-review"}
    services.outcome_record(
        case=case, kind="pfr_denied", decided_by="federal_court", decision_date=TODAY, by=lead
    )
    rules = active_rules(case)
    assert {"pfr-rehearing", "cert-petition"} <= rules
    per_outcome = CaseDeadline.objects.filter(case=case, source_key=f"outcome:{remand.pk}")
    assert not per_outcome.exists()
    # the case still counts under the judge's removal order: appeals do not change its category
    assert metrics.compute().outcomes[0] == [0, 0, 0, 1, 0]


@pytest.mark.django_db
@frozen
def test_a_sustained_appeal_that_grants_relief_counts_as_relief_and_starts_nothing(
    case: Case, lead: Any
) -> None:
    services.outcome_record(
        case=case, kind="removal_order", decided_by="ij", decision_date=TODAY - 90 * DAY, by=lead
    )
    sustained = services.outcome_record(
        case=case,
        kind="bia_sustained",
        relief="asylum",
        decided_by="bia",
        decision_date=TODAY - DAY,
        by=lead,
    )
    assert not CaseDeadline.objects.filter(
        case=case, source_key=f"outcome:{sustained.pk}", is_active=True
    ).exists()
    m = metrics.compute()
    assert (m.relief, m.relief_types["asylum"], m.completed) == (1, 1, 1)
