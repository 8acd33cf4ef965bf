"""Permission answers remembered for one read-only page (the case page), and nowhere else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from amparo.cases.models import CaseAssignment
from amparo.cases.permissions import answers_remembered, can_edit_case, can_view_client_identity


def test_outside_a_page_every_question_asks_the_database_so_a_revocation_holds_at_once(
    org: Any, attorney_of: Callable[..., Any], open_case: Callable[..., Any]
) -> None:
    lead = attorney_of(org)
    case = open_case(org, lead)
    assert can_edit_case(lead, case)
    CaseAssignment.objects.filter(case=case, user=lead).update(is_active=False)
    assert not can_edit_case(lead, case)


def test_inside_a_page_each_question_is_asked_once_and_forgotten_after(
    org: Any,
    attorney_of: Callable[..., Any],
    open_case: Callable[..., Any],
    django_assert_num_queries: Any,
) -> None:
    lead = attorney_of(org)
    case = open_case(org, lead)
    case.subject  # loaded as the case page's selector loads it
    with answers_remembered():
        with django_assert_num_queries(2):  # the assignment and the membership, once each
            answers = [can_view_client_identity(lead, case), can_edit_case(lead, case)]
            answers += [can_view_client_identity(lead, case), can_edit_case(lead, case)]
        assert answers == [True] * 4
    CaseAssignment.objects.filter(case=case, user=lead).update(is_active=False)
    with answers_remembered():
        assert not can_edit_case(lead, case)  # a new page asks again
