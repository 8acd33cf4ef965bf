"""The case lifecycle, the permission predicates and the outcome table."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.cases import permissions as p
from amparo.cases import services
from amparo.cases.choices import AFFIRMATIVE_TYPES, CaseType
from amparo.cases.models import Case
from amparo.cases.outcomes import (
    EOIR_CODES,
    OUTCOMES_BY_CASE_TYPE,
    OutcomeKind,
    eoir_code,
    outcome_allowed,
)
from amparo.cases.selectors import case_list
from amparo.cases.workflow import TRANSITIONS, available_transitions
from tests.clock import FROZEN_TODAY, frozen

pytestmark = [pytest.mark.django_db, frozen]
YESTERDAY = FROZEN_TODAY - datetime.timedelta(days=1)


@pytest.fixture
def lead(org: Any, attorney_of: Callable[..., Any]) -> Any:
    return attorney_of(org)


@pytest.fixture
def case(org: Any, lead: Any, open_case: Callable[..., Case]) -> Case:
    return open_case(org, lead)


def names(user: Any, case: Case) -> set[str]:
    case.refresh_from_db()
    return {t.name for t in available_transitions(user, case)}


def test_the_whole_lifecycle_open_active_decided_appeal_decided_closed_reopened(
    case: Case, lead: Any
) -> None:
    assert case.status == "open" and names(lead, case) == {"activate"}  # close needs an outcome
    services.case_transition(case=case, name="activate", by=lead)
    services.outcome_record(
        case=case, kind="removal_order", decided_by="ij", decision_date=YESTERDAY, by=lead
    )
    assert names(lead, case) == {"appeal", "close"}
    services.case_transition(case=case, name="appeal", by=lead)
    assert names(lead, case) == {"close"}
    services.outcome_record(
        case=case, kind="terminated", decided_by="bia", decision_date=YESTERDAY, by=lead
    )
    case.refresh_from_db()
    assert case.status == "decided"
    services.case_transition(case=case, name="close", by=lead, reason="Proceedings terminated.")
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_at is not None
    assert names(lead, case) == {"reopen"}
    # A closed case takes no new decision or hearing until it is reopened.
    with pytest.raises(ValidationError):
        services.outcome_record(
            case=case, kind="terminated", decided_by="ij", decision_date=YESTERDAY, by=lead
        )
    with pytest.raises(ValidationError):
        services.hearing_add(case=case, kind="master", date=YESTERDAY, by=lead)
    services.case_transition(case=case, name="reopen", by=lead)
    case.refresh_from_db()
    assert case.status == "active" and case.closed_at is None
    actions = list(
        AuditEvent.objects.filter(object_id=str(case.pk), action__startswith="case.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    for step in ("case.activate", "case.appeal", "case.close", "case.reopen"):
        assert step in actions
    close = AuditEvent.objects.get(action="case.close", object_id=str(case.pk))
    assert close.reason == "decided -> closed: Proceedings terminated."


def test_transitions_refuse_wrong_states_and_wrong_people(
    case: Case, org: Any, attorney_of: Callable[..., Any], admin_of: Callable[..., Any]
) -> None:
    lead = case.lead_attorney
    assert lead is not None
    with pytest.raises(ValidationError):
        services.case_transition(case=case, name="appeal", by=lead)  # not decided
    with pytest.raises(ValidationError):
        services.case_transition(case=case, name="close", by=lead)  # no outcome
    with pytest.raises(PermissionDenied):
        services.case_transition(case=case, name="no-such-step", by=lead)
    services.outcome_record(
        case=case, kind="relief_granted", relief="asylum", decided_by="ij",
        decision_date=YESTERDAY, by=lead,
    )  # fmt: skip
    colleague = attorney_of(org)
    services.team_add(case=case, user=colleague, role="attorney", by=lead)
    # On the team but not the lead: may appeal, may not close.
    assert names(colleague, case) == {"appeal"}
    with pytest.raises(PermissionDenied):
        services.case_transition(case=case, name="close", by=colleague)
    services.case_transition(case=case, name="close", by=admin_of(org))


def test_a_pending_affirmative_result_is_not_final(
    org: Any, lead: Any, open_case: Callable[..., Case]
) -> None:
    case = open_case(org, lead, case_type="u_visa")
    services.outcome_record(
        case=case, kind="pending", decided_by="uscis", decision_date=YESTERDAY, by=lead
    )
    case.refresh_from_db()
    assert case.status == "open"
    with pytest.raises(ValidationError):
        services.case_transition(case=case, name="close", by=lead)
    with pytest.raises(ValidationError) as err:
        services.outcome_record(
            case=case, kind="approved", decided_by="ij", decision_date=YESTERDAY, by=lead
        )
    assert "decided_by" in err.value.message_dict
    services.outcome_record(
        case=case, kind="approved", decided_by="uscis", decision_date=YESTERDAY, by=lead
    )
    services.case_transition(case=case, name="close", by=lead)


def test_outcome_values_must_fit_together(case: Case, lead: Any) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"kind": "approved"}, "kind"),
        ({"kind": "relief_granted"}, "relief"),
        ({"kind": "terminated", "relief": "asylum"}, "relief"),
        ({"kind": "terminated", "in_absentia": True}, "in_absentia"),
        ({"kind": "removal_order", "decided_by": "uscis"}, "decided_by"),
    ]
    for extra, field in cases:
        values: dict[str, Any] = {"kind": "", "decided_by": "ij", "decision_date": YESTERDAY}
        values.update(extra)
        with pytest.raises(ValidationError) as err:
            services.outcome_record(case=case, by=lead, **values)
        assert field in err.value.message_dict, extra
    assert not case.outcomes.exists()


def test_predicates_per_role(
    case: Case,
    org: Any,
    other_org: Any,
    lead: Any,
    attorney_of: Callable[..., Any],
    admin_of: Callable[..., Any],
    make_user: Callable[..., Any],
) -> None:
    colleague = attorney_of(org)
    provider_admin = admin_of(org)
    other_admin = admin_of(other_org)
    fund_admin = make_user(Role.FUND_ADMIN)
    intake = make_user(Role.INTAKE_WORKER)
    board = make_user(Role.BOARD_MEMBER)
    table = {
        lead: (True, True, True, True),
        provider_admin: (True, True, True, True),
        colleague: (False, False, False, False),
        other_admin: (False, False, False, False),
        fund_admin: (True, False, False, False),
        intake: (False, False, False, False),
        board: (False, False, False, False),
    }
    for user, (view, identity, privileged, edit) in table.items():
        got = (
            bool(p.can_view_case(user, case)),
            bool(p.can_view_client_identity(user, case)),
            bool(p.can_view_privileged(user, case)),
            bool(p.can_edit_case(user, case)),
        )
        assert got == (view, identity, privileged, edit), user.role
        # The selector says the same as the predicate.
        assert case_list(fetched_by=user).filter(pk=case.pk).exists() == view, user.role
    # The organization's policy lets its attorneys see (not change) every case.
    org.attorneys_see_all_org_cases = True
    org.save()
    case.refresh_from_db()
    assert p.can_view_case(colleague, case) and p.can_view_privileged(colleague, case)
    assert not p.can_edit_case(colleague, case)
    assert case_list(fetched_by=colleague).filter(pk=case.pk).exists()
    # A switched-off account sees nothing.
    lead.is_active = False
    lead.save()
    assert not p.can_view_case(lead, case)
    assert not case_list(fetched_by=lead).exists()


def test_the_eoir_table_only_names_outcomes_that_fit_their_case_type() -> None:
    for (case_type, outcome), code in EOIR_CODES.items():
        assert case_type in CaseType.values and outcome in OutcomeKind.values
        assert outcome_allowed(case_type, outcome), (case_type, outcome)
        assert not code.confirmed  # nothing is marked confirmed until checked against EOIR
    for case_type in CaseType.values:
        assert OUTCOMES_BY_CASE_TYPE[case_type], case_type
    for case_type in AFFIRMATIVE_TYPES:
        assert eoir_code(case_type, "approved").decision is None
    assert eoir_code("removal", "removal_order").decision == "X"
    assert eoir_code("removal", "removal_order").case_type == "RMV"
    assert set(TRANSITIONS) == {"activate", "appeal", "close", "reopen"}
