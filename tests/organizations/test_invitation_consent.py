"""Issue #15, finding 6: nobody joins an organization without saying yes, and the invitation form
answers the same whoever owns the email address."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages

from amparo.accounts.roles import Role
from amparo.organizations.models import Membership
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_an_existing_person_joins_only_after_accepting(
    make_user: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    org, elsewhere = OrganizationFactory(), OrganizationFactory()
    boss = make_user(Role.PROVIDER_ADMIN, org=org)
    lawyer = make_user(Role.ATTORNEY, org=elsewhere)
    data = {"email": lawyer.email, "role": Role.ATTORNEY, "language": "en"}
    with django_capture_on_commit_callbacks(execute=True):
        sent = client_for(boss).post(f"/organizations/{org.slug}/staff/invite/", data)
    assert sent.status_code == 302
    assert not Membership.objects.filter(user=lawyer, organization=org).exists()

    invitee = client_for(lawyer)
    page = invitee.get("/organizations/invitations/")
    assert page.status_code == 200 and org.name in page.content.decode()
    invitation = page.context["invitations"][0]
    accepted = invitee.post(
        "/organizations/invitations/", {"invitation": invitation.pk, "decision": "accept"}
    )
    assert accepted.status_code == 302
    assert Membership.objects.get(user=lawyer, organization=org).is_active
    assert invitee.get("/organizations/invitations/").context["invitations"] == []


def test_the_invitation_form_answers_the_same_whoever_owns_the_email(
    make_user: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    org = OrganizationFactory()
    boss = make_user(Role.PROVIDER_ADMIN, org=org)
    donor, staff = make_user(Role.DONOR), make_user(Role.FUND_ADMIN)
    answers = []
    for email in (donor.email, staff.email, "nobody-yet@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(boss).post(
                f"/organizations/{org.slug}/staff/invite/",
                {"email": email, "role": Role.ATTORNEY, "language": "en"},
            )
        said = [str(m) for m in get_messages(response.wsgi_request)]
        answers.append((response.status_code, response.get("Location"), said))
    assert answers[0] == answers[1] == answers[2]
    assert not Membership.objects.filter(user__in=[donor, staff]).exists()
    donor.refresh_from_db()
    staff.refresh_from_db()
    assert (donor.role, staff.role) == (Role.DONOR, Role.FUND_ADMIN)
