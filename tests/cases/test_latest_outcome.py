"""Issue #16: each case keeps its latest final outcome and latest custody decision in its own
columns, and they always equal what the correlated subqueries the impact figures used to run
compute, over random sequences of decisions recorded through the outcome service: same-day
decisions, decisions entered late with an earlier date (a correction of the record), decisions
recorded at the same instant (the id decides) and with the clock moved back (the time recorded
decides before the id)."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import OuterRef, Q, Subquery

from amparo.cases import services
from amparo.cases.choices import CaseType
from amparo.cases.latest import LATEST_FIELDS, latest_outcomes_sync
from amparo.cases.models import Case, Outcome
from amparo.cases.outcomes import APPELLATE_DECIDER, GRANTS, OUTCOMES_BY_CASE_TYPE
from tests.clock import FROZEN_NOW, FROZEN_TODAY, frozen

#: The old computation, as amparo.reports.metrics ran it before the columns existed (kinds and
#: order written out, so a change to the product's definitions cannot move both sides at once).
OLD_MERITS = (
    "relief_granted",
    "approved",
    "protection_granted",
    "terminated",
    "removal_order",
    "voluntary_departure",
    "denied",
    "withdrawn",
    "fear_found",
    "fear_affirmed",
    "application_withdrawn",
)
OLD_FINAL = Q(kind__in=OLD_MERITS) | (Q(kind="bia_sustained") & ~Q(relief=""))
OLD_CUSTODY = Q(kind__in=("released", "kept_detained"))


def old_latest(case_pk: Any) -> tuple[str, str, str]:
    def latest(kinds: Q) -> Any:
        return Outcome.objects.filter(kinds, case=OuterRef("pk")).order_by(
            "-decision_date", "-recorded_at", "-pk"
        )

    row = (
        Case.objects.filter(pk=case_pk)
        .annotate(
            final_kind=Subquery(latest(OLD_FINAL).values("kind")[:1]),
            final_relief=Subquery(latest(OLD_FINAL).values("relief")[:1]),
            decision=Subquery(latest(OLD_CUSTODY).values("kind")[:1]),
        )
        .values("final_kind", "final_relief", "decision")
        .get()
    )
    return (row["final_kind"] or "", row["final_relief"] or "", row["decision"] or "")


def stored(case_pk: Any) -> tuple[str, str, str]:
    return tuple(Case.objects.filter(pk=case_pk).values_list(*LATEST_FIELDS).get())  # type: ignore[return-value]


CASE_TYPES = (CaseType.REMOVAL, CaseType.BOND, CaseType.ASYLUM_ONLY, CaseType.DACA)


def _decision(rng: random.Random, case_type: str) -> dict[str, Any]:
    kind = rng.choice(OUTCOMES_BY_CASE_TYPE[case_type])
    if kind in APPELLATE_DECIDER:
        decided_by = APPELLATE_DECIDER[kind]
    elif case_type == "daca":
        decided_by = "uscis"
    else:
        decided_by = "ij"
    relief = ""
    if kind in ("relief_granted", "protection_granted"):
        relief = rng.choice(GRANTS[kind])
    elif kind == "bia_sustained":
        relief = rng.choice(("", *GRANTS[kind]))
    # few distinct days: many decisions share one, and later entries often carry earlier dates
    day = FROZEN_TODAY - datetime.timedelta(days=rng.choice((0, 1, 1, 3, 40)))
    return {"kind": kind, "decided_by": decided_by, "relief": relief, "decision_date": day}


@pytest.mark.django_db
@frozen
@pytest.mark.parametrize("seed", range(6))
def test_the_columns_equal_the_old_correlated_query_after_every_decision(
    seed: int,
    org: Any,
    attorney_of: Callable[..., Any],
    open_case: Callable[..., Case],
    time_machine: Any,
) -> None:
    rng = random.Random(seed)
    lead = attorney_of(org)
    cases = [open_case(org, lead, case_type=t) for t in CASE_TYPES]
    assert [stored(c.pk) for c in cases] == [("", "", "")] * len(cases)
    for recorded in range(1, 29):
        case = rng.choice(cases)
        # the same instant (the id decides), or an hour either way (the time recorded decides)
        time_machine.move_to(FROZEN_NOW + datetime.timedelta(hours=rng.choice((0, 0, -1, 1))))
        services.outcome_record(case=case, by=lead, **_decision(rng, case.case_type))
        for each in cases:
            assert stored(each.pk) == old_latest(each.pk), (seed, recorded, each.case_type)
    kinds = set(Outcome.objects.values_list("kind", flat=True))
    assert kinds & set(OLD_MERITS) and kinds & {"released", "kept_detained"}


@pytest.mark.django_db
@frozen
def test_a_late_entry_with_an_earlier_date_does_not_replace_the_latest_decision(
    org: Any, attorney_of: Callable[..., Any], open_case: Callable[..., Case]
) -> None:
    lead = attorney_of(org)
    case = open_case(org, lead)
    day = datetime.timedelta(days=1)
    services.outcome_record(
        case=case, kind="terminated", decided_by="ij", decision_date=FROZEN_TODAY, by=lead
    )
    services.outcome_record(
        case=case,
        kind="relief_granted",
        relief="asylum",
        decided_by="ij",
        decision_date=FROZEN_TODAY - day,
        by=lead,
    )
    assert stored(case.pk) == ("terminated", "", "") == old_latest(case.pk)
    # the same day, recorded at the same instant: the one recorded last counts
    services.outcome_record(
        case=case, kind="removal_order", decided_by="ij", decision_date=FROZEN_TODAY, by=lead
    )
    assert stored(case.pk) == ("removal_order", "", "") == old_latest(case.pk)
    # an appeal that states no result does not change what the case counts as
    services.outcome_record(
        case=case, kind="bia_sustained", decided_by="bia", decision_date=FROZEN_TODAY, by=lead
    )
    assert stored(case.pk) == ("removal_order", "", "")
    services.outcome_record(
        case=case,
        kind="bia_sustained",
        relief="cat",
        decided_by="bia",
        decision_date=FROZEN_TODAY,
        by=lead,
    )
    assert stored(case.pk) == ("bia_sustained", "cat", "") == old_latest(case.pk)


@pytest.mark.django_db
@frozen
def test_sync_repairs_outcomes_written_in_bulk_and_clears_what_has_none(
    org: Any, attorney_of: Callable[..., Any], open_case: Callable[..., Case]
) -> None:
    lead = attorney_of(org)
    bond, other = open_case(org, lead, case_type="bond"), open_case(org, lead)
    Outcome.objects.bulk_create(
        [
            Outcome(case=bond, kind="released", decided_by="ij", decision_date=FROZEN_TODAY),
            Outcome(case=bond, kind="withdrawn", decided_by="ij", decision_date=FROZEN_TODAY),
        ]
    )
    Case.objects.filter(pk=other.pk).update(latest_final_kind="terminated")  # a stale value
    assert latest_outcomes_sync(Case.objects.all()) == 2
    assert stored(bond.pk) == ("withdrawn", "", "released") == old_latest(bond.pk)
    assert stored(other.pk) == ("", "", "") == old_latest(other.pk)
