"""Reads on organizations, scoped to the viewer. Default deny."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from amparo.accounts.models import User
from amparo.accounts.roles import PROVIDER_ROLES, Role

from .models import AttorneyProfile, Membership, ProviderOrganization


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


def access_organization(user: User, slug: str) -> ProviderOrganization:
    """The organization, or 404 — the same for missing and forbidden."""
    org = organization_list(fetched_by=user).filter(slug=slug).first()
    if org is None:
        raise Http404
    return org


def membership_list(*, organization: ProviderOrganization) -> QuerySet[Membership]:
    return organization.memberships.select_related("user").order_by("user__email")


def attorney_list(*, organization: ProviderOrganization) -> QuerySet[AttorneyProfile]:
    return organization.attorneys.select_related("user").filter(user__is_active=True).order_by("user__last_name")
