"""Writes on people and organizations leave audit events: who, what, which fields, never values."""

from __future__ import annotations

import pytest

from amparo.accounts.roles import Role
from amparo.accounts.services import api_token_create, api_token_revoke, user_invite
from amparo.audit.models import AuditEvent
from amparo.audit.verify import verify_chain
from amparo.organizations.services import (
    membership_deactivate,
    membership_invite,
    organization_update,
)
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

SITE = "http://testserver/"


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_invitations_are_audited_without_the_email(make_user, django_capture_on_commit_callbacks):
    admin = make_user(Role.FUND_ADMIN)
    org = OrganizationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        membership = membership_invite(
            organization=org,
            email="audited@example.org",
            role=Role.ATTORNEY,
            by=admin,
            site_url=SITE,
        )
        user_invite(email="board@example.org", role=Role.BOARD_MEMBER, by=admin, site_url=SITE)
    (invited,) = _events("organizations.membership.invited")
    assert invited.actor_id == admin.pk and invited.object_id == str(membership.pk)
    assert invited.object_type == "organizations.membership"
    (person,) = _events("accounts.user.invited")
    assert person.reason == "new account"
    for event in AuditEvent.objects.all():
        assert "@example.org" not in f"{event.reason} {event.fields} {event.object_id}"
    assert verify_chain().ok


def test_an_update_records_only_the_names_of_the_fields_that_changed(make_user):
    org = OrganizationFactory(description="Before")
    boss = make_user(Role.PROVIDER_ADMIN, org=org)
    organization_update(
        organization=org,
        by=boss,
        data={"description": "After", "website": "", "name": "Ignored for providers"},
    )
    (event,) = _events("organizations.organization.updated")
    assert event.fields == ["description"]
    assert "After" not in event.reason


def test_removing_access_and_tokens_are_audited(make_user):
    org = OrganizationFactory()
    boss = make_user(Role.PROVIDER_ADMIN, org=org)
    membership = MembershipFactory(organization=org)
    membership_deactivate(membership=membership, by=boss)
    membership_deactivate(membership=membership, by=boss)  # twice: one event
    assert len(_events("organizations.membership.deactivated")) == 1

    token, _raw = api_token_create(user=boss, name="sync")
    api_token_revoke(token=token)
    api_token_revoke(token=token)
    assert len(_events("accounts.api_token.created")) == 1
    assert len(_events("accounts.api_token.revoked")) == 1
    assert verify_chain().ok
