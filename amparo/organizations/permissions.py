"""Who may do what to organizations, offices, staff and attorney profiles.

Small named predicates (django-rules), each answering one question about one user and one
object. Selectors and views ask these; nothing else decides. Default deny: an anonymous or
switched-off user, or a membership that has been deactivated, answers False everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rules.permissions import add_perm
from rules.predicates import Predicate

from amparo.accounts.roles import PROVIDER_ROLES, Role

from .models import AttorneyProfile, Membership, ProviderOrganization


def predicate(fn: Callable[..., bool]) -> Predicate:
    """``rules.predicate`` with a type: the function becomes a named, composable predicate."""
    return Predicate(fn)


def _register(name: str, pred: Predicate) -> None:
    add_perm(name, pred)  # type: ignore[no-untyped-call]


def _active_user(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


@predicate
def is_fund_admin(user: Any) -> bool:
    return _active_user(user) and user.role == Role.FUND_ADMIN


@predicate
def is_active_member(user: Any, organization: ProviderOrganization | None) -> bool:
    """``user`` has an active membership in ``organization``, which is itself active."""
    if not _active_user(user) or organization is None or user.role not in PROVIDER_ROLES:
        return False
    return Membership.objects.active().filter(user=user, organization=organization).exists()


@predicate
def is_provider_admin_of(user: Any, organization: ProviderOrganization | None) -> bool:
    return (
        _active_user(user)
        and user.role == Role.PROVIDER_ADMIN
        and bool(is_active_member(user, organization))
    )


@predicate
def can_manage_organization(user: Any, organization: ProviderOrganization | None) -> bool:
    """Edit the organization's details, offices, staff and attorney profiles."""
    return bool(is_fund_admin(user)) or bool(is_provider_admin_of(user, organization))


@predicate
def can_administer_organization(user: Any, organization: ProviderOrganization | None) -> bool:
    """Rename, re-slug, switch off or on: the fund's decision, not the provider's."""
    return bool(is_fund_admin(user))


@predicate
def can_view_organization(user: Any, organization: ProviderOrganization | None) -> bool:
    if organization is None or not _active_user(user):
        return False
    if user.role == Role.FUND_ADMIN:
        return True
    if user.role in (Role.INTAKE_WORKER, Role.BOARD_MEMBER):
        return organization.is_active
    return bool(is_active_member(user, organization))


@predicate
def can_edit_attorney_profile(user: Any, profile: AttorneyProfile | None) -> bool:
    """The organization's managers, and the attorney themself while still a member."""
    if profile is None or not _active_user(user):
        return False
    if can_manage_organization(user, profile.organization):
        return True
    return profile.user_id == user.pk and bool(is_active_member(user, profile.organization))


@predicate
def can_manage_programs(user: Any) -> bool:
    return bool(is_fund_admin(user))


def can_invite_to_organization(user: Any, organization: ProviderOrganization, role: str) -> bool:
    """Fund admins invite provider staff to any organization; provider admins to their own."""
    return role in PROVIDER_ROLES and bool(can_manage_organization(user, organization))


_register("organizations.view_organization", can_view_organization)
_register("organizations.manage_organization", can_manage_organization)
_register("organizations.administer_organization", can_administer_organization)
_register("organizations.edit_attorney_profile", can_edit_attorney_profile)
_register("organizations.manage_programs", can_manage_programs)
