"""Each named predicate, for each role, with active and removed memberships."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from amparo.accounts.roles import Role
from amparo.organizations.permissions import (
    can_administer_organization,
    can_edit_attorney_profile,
    can_invite_to_organization,
    can_manage_organization,
    can_manage_programs,
    can_view_organization,
    is_active_member,
    is_provider_admin_of,
)
from tests.factories import (
    AttorneyProfileFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganizationFactory()


def test_fund_admin_manages_every_organization(org):
    admin = UserFactory(role=Role.FUND_ADMIN)
    assert can_manage_organization(admin, org)
    assert can_administer_organization(admin, org)
    assert can_manage_programs(admin)
    assert can_view_organization(admin, OrganizationFactory(is_active=False))


def test_provider_admin_manages_only_their_own_organization(org):
    boss = UserFactory(role=Role.PROVIDER_ADMIN)
    MembershipFactory(user=boss, organization=org)
    assert is_provider_admin_of(boss, org)
    assert can_manage_organization(boss, org)
    assert not can_administer_organization(boss, org)
    assert not can_manage_organization(boss, OrganizationFactory())
    assert not can_manage_programs(boss)


def test_a_removed_membership_or_switched_off_organization_denies_everything(org):
    boss = UserFactory(role=Role.PROVIDER_ADMIN)
    membership = MembershipFactory(user=boss, organization=org)
    membership.is_active = False
    membership.save()
    assert not is_active_member(boss, org)
    assert not can_manage_organization(boss, org)
    assert not can_view_organization(boss, org)

    other = UserFactory(role=Role.PROVIDER_ADMIN)
    off = OrganizationFactory(is_active=False)
    MembershipFactory(user=other, organization=off)
    assert not can_manage_organization(other, off)


def test_attorneys_view_their_organization_but_do_not_manage_it(org):
    lawyer = UserFactory(role=Role.ATTORNEY)
    MembershipFactory(user=lawyer, organization=org)
    assert can_view_organization(lawyer, org)
    assert not can_manage_organization(lawyer, org)
    assert not can_view_organization(lawyer, OrganizationFactory())


def test_attorney_profile_is_edited_by_its_owner_and_the_organization_managers(org):
    lawyer = UserFactory(role=Role.ATTORNEY)
    MembershipFactory(user=lawyer, organization=org)
    profile = AttorneyProfileFactory(user=lawyer, organization=org)
    colleague = UserFactory(role=Role.ATTORNEY)
    MembershipFactory(user=colleague, organization=org)
    boss = UserFactory(role=Role.PROVIDER_ADMIN)
    MembershipFactory(user=boss, organization=org)
    outsider = UserFactory(role=Role.PROVIDER_ADMIN)
    MembershipFactory(user=outsider, organization=OrganizationFactory())

    assert can_edit_attorney_profile(lawyer, profile)
    assert can_edit_attorney_profile(boss, profile)
    assert can_edit_attorney_profile(UserFactory(role=Role.FUND_ADMIN), profile)
    assert not can_edit_attorney_profile(colleague, profile)
    assert not can_edit_attorney_profile(outsider, profile)
    assert not can_edit_attorney_profile(UserFactory(role=Role.INTAKE_WORKER), profile)


@pytest.mark.parametrize("role", [Role.INTAKE_WORKER, Role.BOARD_MEMBER, Role.DONOR])
def test_other_roles_manage_nothing(org, role):
    user = UserFactory(role=role)
    assert not can_manage_organization(user, org)
    assert not can_manage_programs(user)
    assert not can_invite_to_organization(user, org, Role.ATTORNEY)
    assert can_view_organization(user, org) is (role != Role.DONOR)


def test_invitations_go_only_to_provider_roles(org):
    admin = UserFactory(role=Role.FUND_ADMIN)
    assert can_invite_to_organization(admin, org, Role.ATTORNEY)
    assert can_invite_to_organization(admin, org, Role.PROVIDER_ADMIN)
    assert not can_invite_to_organization(admin, org, Role.INTAKE_WORKER)


def test_anonymous_and_switched_off_users_are_denied(org):
    assert not can_manage_organization(AnonymousUser(), org)
    assert not can_view_organization(AnonymousUser(), org)
    admin = UserFactory(role=Role.FUND_ADMIN, is_active=False)
    assert not can_manage_organization(admin, org)
    assert not can_manage_programs(admin)


def test_rules_permissions_are_registered(org):
    boss = UserFactory(role=Role.PROVIDER_ADMIN)
    MembershipFactory(user=boss, organization=org)
    assert boss.has_perm("organizations.manage_organization", org)
    assert not boss.has_perm("organizations.manage_organization", OrganizationFactory())
    assert not boss.has_perm("organizations.administer_organization", org)
