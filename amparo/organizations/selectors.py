"""Reads on organizations, scoped to the viewer. Default deny.

``access_*`` functions return the object or raise ``Http404``: a missing object and one the
viewer may not see look exactly the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404

from amparo.accounts.models import User
from amparo.accounts.roles import PROVIDER_ROLES, Role

from .models import (
    AttorneyProfile,
    Fund,
    Membership,
    MembershipInvitation,
    Office,
    Program,
    ProviderOrganization,
)
from .permissions import (
    can_edit_attorney_profile,
    can_manage_organization,
    can_manage_programs,
    is_fund_admin,
)


def organizations_of(user: User) -> QuerySet[ProviderOrganization]:
    """The provider organizations ``user`` is an active member of."""
    return ProviderOrganization.objects.filter(
        memberships__user=user, memberships__is_active=True, is_active=True
    ).distinct()


def organization_list(*, fetched_by: User) -> QuerySet[ProviderOrganization]:
    if not fetched_by.is_authenticated or not fetched_by.is_active:
        return ProviderOrganization.objects.none()
    if fetched_by.role in (Role.FUND_ADMIN, Role.INTAKE_WORKER, Role.BOARD_MEMBER):
        return ProviderOrganization.objects.filter(is_active=True)
    if fetched_by.role in PROVIDER_ROLES:
        return organizations_of(fetched_by)
    return ProviderOrganization.objects.none()


def organization_directory(*, fetched_by: User) -> QuerySet[ProviderOrganization]:
    """The list page: fund admins also see switched-off organizations, to switch them back on."""
    if is_fund_admin(fetched_by):
        return ProviderOrganization.objects.all()
    return organization_list(fetched_by=fetched_by)


def access_organization(user: User, slug: str) -> ProviderOrganization:
    """The organization, or 404 — the same for missing and forbidden."""
    org = organization_directory(fetched_by=user).filter(slug=slug).first()
    if org is None:
        raise Http404
    return org


def access_managed_organization(user: User, slug: str) -> ProviderOrganization:
    """An organization ``user`` may manage (edit, offices, staff, profiles), or 404."""
    org = ProviderOrganization.objects.filter(slug=slug).first()
    if org is None or not can_manage_organization(user, org):
        raise Http404
    return org


def managed_organizations(*, fetched_by: User) -> QuerySet[ProviderOrganization]:
    """Organizations ``fetched_by`` may invite staff to."""
    if is_fund_admin(fetched_by):
        return ProviderOrganization.objects.filter(is_active=True)
    if fetched_by.is_authenticated and fetched_by.role == Role.PROVIDER_ADMIN:
        return organizations_of(fetched_by)
    return ProviderOrganization.objects.none()


def access_office(user: User, organization: ProviderOrganization, office_id: int) -> Office:
    office = organization.offices.filter(pk=office_id).first()
    if office is None or not can_manage_organization(user, organization):
        raise Http404
    return office


def access_membership(
    user: User, organization: ProviderOrganization, membership_id: int
) -> Membership:
    membership = (
        organization.memberships.select_related("user", "organization")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None or not can_manage_organization(user, organization):
        raise Http404
    return membership


def access_attorney_profile(user: User, profile_id: int) -> AttorneyProfile:
    profile = (
        AttorneyProfile.objects.select_related("user", "organization").filter(pk=profile_id).first()
    )
    if profile is None or not can_edit_attorney_profile(user, profile):
        raise Http404
    return profile


def own_attorney_profile(user: User) -> AttorneyProfile | None:
    """The signed-in person's own profile, if they have one and may still edit it."""
    profile = AttorneyProfile.objects.select_related("organization").filter(user=user).first()
    if profile is None or not can_edit_attorney_profile(user, profile):
        return None
    return profile


def access_program(user: User, slug: str) -> Program:
    program = Program.objects.select_related("fund").filter(slug=slug).first()
    if program is None or not can_manage_programs(user):
        raise Http404
    return program


def program_list(*, fetched_by: User) -> QuerySet[Program]:
    if not can_manage_programs(fetched_by):
        return Program.objects.none()
    return Program.objects.select_related("fund")


def current_fund() -> Fund | None:
    """The fund this deployment runs (the first one; a deployment runs one fund)."""
    return Fund.objects.order_by("pk").first()


def membership_list(*, organization: ProviderOrganization) -> QuerySet[Membership]:
    return organization.memberships.select_related("user", "user__attorney_profile").order_by(
        "-is_active", "user__last_name", "user__first_name", "user__email"
    )


def attorney_list(*, organization: ProviderOrganization) -> QuerySet[AttorneyProfile]:
    """Attorneys who can take work now: the account is on and the membership is active."""
    return (
        organization.attorneys.select_related("user")
        .filter(
            user__is_active=True,
            user__memberships__organization=organization,
            user__memberships__is_active=True,
        )
        .order_by("user__last_name", "user__first_name")
    )


def attorney_profile_list(*, fetched_by: User) -> QuerySet[AttorneyProfile]:
    """Attorney profiles the viewer may see: fund admins and intake all, providers their own."""
    active = AttorneyProfile.objects.select_related("user", "organization").filter(
        user__is_active=True,
        organization__is_active=True,
        user__memberships__organization_id=F("organization_id"),
        user__memberships__is_active=True,
    )
    if not fetched_by.is_authenticated or not fetched_by.is_active:
        return AttorneyProfile.objects.none()
    if fetched_by.role in (Role.FUND_ADMIN, Role.INTAKE_WORKER):
        return active.order_by("organization__name", "user__last_name")
    if fetched_by.role in PROVIDER_ROLES:
        return active.filter(organization__in=organizations_of(fetched_by)).order_by(
            "organization__name", "user__last_name"
        )
    return AttorneyProfile.objects.none()


@dataclass(frozen=True)
class StaffSummary:
    organization: ProviderOrganization
    active_staff: int
    attorneys: int
    attorneys_accepting: int
    total_capacity: int


def staff_summary(*, organization: ProviderOrganization) -> StaffSummary:
    """Counts for a provider admin's dashboard: people and the room they have for new cases."""
    staff = organization.memberships.filter(is_active=True, user__is_active=True).count()
    profiles = attorney_list(organization=organization).aggregate(
        n=Count("pk", distinct=True),
        accepting=Count("pk", filter=Q(accepting_new_cases=True), distinct=True),
        capacity=Sum("capacity", filter=Q(accepting_new_cases=True)),
    )
    return StaffSummary(
        organization=organization,
        active_staff=staff,
        attorneys=profiles["n"] or 0,
        attorneys_accepting=profiles["accepting"] or 0,
        total_capacity=profiles["capacity"] or 0,
    )


def pending_invitations(*, fetched_by: Any) -> list[MembershipInvitation]:
    """The invitations waiting for ``fetched_by``'s answer (to active organizations only)."""
    if not getattr(fetched_by, "is_authenticated", False):
        return []
    return list(
        MembershipInvitation.objects.filter(
            user_id=fetched_by.pk, answered_at__isnull=True, organization__is_active=True
        )
        .select_related("organization", "invited_by")
        .order_by("created_at", "pk")
    )
