"""Invitations: who may invite whom, what gets created, the email, and accepting it."""

from __future__ import annotations

import logging
import re

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import Client

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.accounts.services import user_invite
from amparo.organizations.models import Membership, MembershipInvitation
from amparo.organizations.services import membership_invitation_answer, membership_invite
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "http://testserver/"


def _link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_fund_admin_invites_a_provider_admin_to_an_organization_through_the_page(
    make_user, client_for, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.INFO)
    admin = make_user(Role.FUND_ADMIN)
    org = OrganizationFactory()
    client = client_for(admin)
    assert client.get("/accounts/people/invite/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/people/invite/",
            {
                "email": "New.Admin@Example.org",
                "first_name": "Rosa",
                "last_name": "Pérez",
                "role": Role.PROVIDER_ADMIN,
                "organization": org.pk,
                "language": "es",
            },
        )
    assert response.status_code == 302 and response["Location"] == "/accounts/people/"

    invitee = User.objects.get(email="new.admin@example.org")
    assert invitee.role == Role.PROVIDER_ADMIN and invitee.preferred_language == "es"
    assert not invitee.has_usable_password()
    address = EmailAddress.objects.get(user=invitee)
    assert address.email == "new.admin@example.org" and not address.verified
    membership = Membership.objects.get(user=invitee)
    assert membership.organization == org and membership.is_active
    assert membership.invited_by == admin

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["new.admin@example.org"]
    assert "Te invitaron" in message.subject or "invitación" in message.subject.lower()
    assert "Hola Rosa" in message.body and org.name in message.body
    assert "new.admin" not in _link(message), "no email address in the link"
    log = "\n".join(r.getMessage() for r in caplog.records)
    assert "new.admin@example.org" not in log.lower() and "invitation" in log


def test_the_invitation_link_sets_the_password_and_verifies_the_email(
    make_user, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    admin = make_user(Role.FUND_ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        invitee = user_invite(
            email="intake.person@example.org",
            role=Role.INTAKE_WORKER,
            by=admin,
            site_url=SITE,
            language="en",
        )
    client = Client()
    form_url = client.get(_link(mailoutbox[0]))["Location"]
    new = "a-long-and-private-passphrase"
    done = client.post(form_url, {"password1": new, "password2": new})
    assert done.status_code == 302
    invitee.refresh_from_db()
    assert invitee.check_password(new)
    assert EmailAddress.objects.get(user=invitee).verified

    # Signing in now works (no "verify your email" detour) and leads to MFA enrolment.
    signed = Client()
    response = signed.post("/accounts/login/", {"login": invitee.email, "password": new})
    assert response["Location"] == "/dashboard/"
    assert signed.get("/dashboard/")["Location"] == "/accounts/2fa/totp/activate/"
    assert signed.get("/accounts/2fa/totp/activate/").status_code == 200

    # The link works once.
    again = Client().get(_link(mailoutbox[0]))
    assert again.status_code == 200 and b"id_password1" not in again.content


def test_reinviting_the_same_email_creates_nothing_new(
    make_user, mailoutbox, django_capture_on_commit_callbacks
):
    admin = make_user(Role.FUND_ADMIN)
    org = OrganizationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = membership_invite(
            organization=org,
            email="lawyer@example.org",
            role=Role.ATTORNEY,
            by=admin,
            site_url=SITE,
        )
        second = membership_invite(
            organization=org,
            email=" LAWYER@example.org ",
            role=Role.ATTORNEY,
            by=admin,
            site_url=SITE,
        )
    assert first.pk == second.pk
    assert User.objects.filter(email__iexact="lawyer@example.org").count() == 1
    assert EmailAddress.objects.filter(email__iexact="lawyer@example.org").count() == 1
    assert Membership.objects.filter(user__email="lawyer@example.org").count() == 1
    assert len(mailoutbox) == 2, "the invitation is sent again"


def test_reinviting_a_removed_member_waits_for_their_acceptance(
    make_user, django_capture_on_commit_callbacks
):
    """Issue #15, finding 6: the membership is switched back on only when they accept."""
    org = OrganizationFactory()
    boss = make_user(Role.PROVIDER_ADMIN, org=org)
    membership = MembershipFactory(organization=org, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        again = membership_invite(
            organization=org,
            email=membership.user.email,
            role=Role.ATTORNEY,
            by=boss,
            site_url=SITE,
        )
    membership.refresh_from_db()
    assert again is None and not membership.is_active
    invitation = MembershipInvitation.objects.get(user=membership.user, answered_at=None)
    accepted = membership_invitation_answer(invitation=invitation, accept=True, by=membership.user)
    assert accepted is not None and accepted.pk == membership.pk and accepted.is_active


def test_an_existing_account_with_another_role_is_not_told_and_nothing_changes(
    make_user, mailoutbox, django_capture_on_commit_callbacks
):
    admin = make_user(Role.FUND_ADMIN)
    donor = UserFactory(role=Role.DONOR)
    org = OrganizationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        answer = membership_invite(
            organization=org, email=donor.email, role=Role.ATTORNEY, by=admin, site_url=SITE
        )
    donor.refresh_from_db()
    assert answer is None and donor.role == Role.DONOR
    assert not Membership.objects.filter(user=donor).exists()
    assert not MembershipInvitation.objects.filter(user=donor).exists()
    assert mailoutbox == []


def test_provider_admin_invites_staff_to_their_own_organization_only(
    make_user, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    org, other = OrganizationFactory(), OrganizationFactory()
    boss = make_user(Role.PROVIDER_ADMIN, org=org)
    client = client_for(boss)
    data = {"email": "para@example.org", "role": Role.ATTORNEY, "language": "en"}
    with django_capture_on_commit_callbacks(execute=True):
        ok = client.post(f"/organizations/{org.slug}/staff/invite/", data)
    assert ok.status_code == 302
    assert Membership.objects.filter(user__email="para@example.org", organization=org).exists()
    assert len(mailoutbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(
            f"/organizations/{other.slug}/staff/invite/", data | {"email": "x@example.org"}
        )
    assert refused.status_code == 404
    assert client.get(f"/organizations/{other.slug}/staff/invite/").status_code == 404
    assert client.get("/accounts/people/invite/").status_code == 404
    assert not User.objects.filter(email="x@example.org").exists()

    # Roles outside the organization are not on offer, and the service refuses them too.
    bad_role = client.post(
        f"/organizations/{org.slug}/staff/invite/",
        data | {"email": "y@example.org", "role": Role.FUND_ADMIN},
    )
    assert bad_role.status_code == 200 and 'class="error-summary"' in bad_role.content.decode()
    assert not User.objects.filter(email="y@example.org").exists()
    with pytest.raises(PermissionDenied):
        membership_invite(
            organization=org, email="z@example.org", role=Role.FUND_ADMIN, by=boss, site_url=SITE
        )
    with pytest.raises(PermissionDenied):
        membership_invite(
            organization=other, email="z@example.org", role=Role.ATTORNEY, by=boss, site_url=SITE
        )
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("role", [Role.ATTORNEY, Role.INTAKE_WORKER, Role.BOARD_MEMBER, Role.DONOR])
def test_other_roles_cannot_invite(make_user, client_for, role):
    org = OrganizationFactory()
    user = make_user(role, org=org if role == Role.ATTORNEY else None)
    client = client_for(user)
    assert client.get("/accounts/people/invite/").status_code == 404
    assert client.get(f"/organizations/{org.slug}/staff/invite/").status_code == 404
    with pytest.raises(PermissionDenied):
        user_invite(email="q@example.org", role=Role.DONOR, by=user, site_url=SITE)
    assert not User.objects.filter(email="q@example.org").exists()


def test_bad_input_shows_translated_errors_and_creates_nothing(
    make_user, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    admin = make_user(Role.FUND_ADMIN)
    client = client_for(admin)
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/people/invite/",
            {"email": "not-an-email", "role": Role.ATTORNEY, "language": "es"},
        )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in body and 'href="#id_email"' in body
    assert "Introduzca una dirección de correo electrónico válida." in body
    assert "Elija la organización en la que trabaja esta persona." in body
    assert User.objects.count() == 1 and mailoutbox == []


def test_no_email_leaves_when_the_transaction_rolls_back(
    make_user, mailoutbox, django_capture_on_commit_callbacks
):
    admin = make_user(Role.FUND_ADMIN)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        user_invite(email="gone@example.org", role=Role.DONOR, by=admin, site_url=SITE)
        raise RuntimeError("something later in the same request failed")
    assert not User.objects.filter(email="gone@example.org").exists()
    assert mailoutbox == []


def test_inviting_someone_who_already_signs_in_sends_a_notice_not_a_password_link(
    make_user, mailoutbox, django_capture_on_commit_callbacks
):
    admin = make_user(Role.FUND_ADMIN)
    lawyer = UserFactory(role=Role.ATTORNEY, preferred_language="en")
    org = OrganizationFactory(name="Second Legal Clinic")
    with django_capture_on_commit_callbacks(execute=True):
        membership_invite(
            organization=org, email=lawyer.email, role=Role.ATTORNEY, by=admin, site_url=SITE
        )
    lawyer.refresh_from_db()
    assert lawyer.has_usable_password()
    body = mailoutbox[0].body
    assert "/accounts/password/reset/key/" not in body
    assert "http://testserver/accounts/login/" in body and "Second Legal Clinic" in body


def test_fund_admin_sees_people_with_their_status(make_user, client_for):
    admin = make_user(Role.FUND_ADMIN)
    pending = User.objects.create_user("pending@example.org", role=Role.DONOR)
    pending.set_unusable_password()
    pending.save()
    page = client_for(admin).get("/accounts/people/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "pending@example.org" in body and "Invitation sent" in body


def test_without_a_request_links_point_at_the_configured_site(
    make_user, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.AMPARO = {**settings.AMPARO, "SITE_URL": "https://amparo.example.org"}
    admin = make_user(Role.FUND_ADMIN)
    org = OrganizationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        membership_invite(organization=org, email="cli@example.org", role=Role.ATTORNEY, by=admin)
    assert "https://amparo.example.org/accounts/password/reset/key/" in mailoutbox[0].body
