"""Reads on cases, scoped to the viewer. Default deny; the same answer for missing and forbidden.

The querysets here say in SQL what ``permissions.py`` says per object; the tests hold the two
to the same answers.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.organizations.models import Membership, ProviderOrganization

from .choices import CaseStatus
from .models import Case, CaseAssignment, Client


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _member_orgs(user: User) -> QuerySet[Membership]:
    return Membership.objects.active().filter(user_id=user.pk)


def case_list(*, fetched_by: User) -> QuerySet[Case]:
    """Every case ``fetched_by`` may see (fund admins: all of them, in their restricted view)."""
    if not _active(fetched_by):
        return Case.objects.none()
    cases = Case.objects.select_related(
        "organization", "subject", "client__subject", "lead_attorney"
    )
    if fetched_by.role == Role.FUND_ADMIN:
        return cases
    member_of = _member_orgs(fetched_by).values("organization_id")
    if fetched_by.role == Role.PROVIDER_ADMIN:
        return cases.filter(organization_id__in=member_of)
    if fetched_by.role == Role.ATTORNEY:
        assigned = CaseAssignment.objects.filter(
            case_id=OuterRef("pk"), user_id=fetched_by.pk, is_active=True
        )
        return cases.filter(organization_id__in=member_of).filter(
            Q(Exists(assigned)) | Q(organization__attorneys_see_all_org_cases=True)
        )
    return Case.objects.none()


def my_cases(*, fetched_by: User) -> QuerySet[Case]:
    """The cases ``fetched_by`` works on (an active assignment), among those they may see."""
    assigned = CaseAssignment.objects.filter(
        case_id=OuterRef("pk"), user_id=fetched_by.pk, is_active=True
    )
    return case_list(fetched_by=fetched_by).filter(Exists(assigned))


def access_case(user: User, case_id: Any) -> Case:
    """The case, or ``Http404`` — exactly the same for a missing and a forbidden case."""
    try:
        pk = case_id if isinstance(case_id, uuid.UUID) else uuid.UUID(str(case_id))
    except (TypeError, ValueError, AttributeError):
        raise Http404 from None
    case = case_list(fetched_by=user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def clients_of_organization(*, organization: ProviderOrganization) -> QuerySet[Client]:
    """The organization's clients, for conflict checks (match them with blind indexes:
    ``clients_of_organization(organization=o).filter(matching(Client, "name_index", raw))``)."""
    return Client.objects.filter(organization=organization)


def active_case_count(*, attorney: User) -> int:
    """Cases not closed on which ``attorney`` has an active assignment: their current load."""
    return (
        Case.objects.filter(assignments__user_id=attorney.pk, assignments__is_active=True)
        .exclude(status=CaseStatus.CLOSED)
        .distinct()
        .count()
    )


def case_team(*, case: Case) -> QuerySet[CaseAssignment]:
    return case.assignments.select_related("user").order_by("-is_active", "role", "created_at")


def case_timeline(*, case: Case) -> QuerySet[Any]:
    return case.events.select_related("created_by", "subject").order_by("-date", "-created_at")
