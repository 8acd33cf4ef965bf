"""Referral pages: the provider's inbox and answer; fund staff's escalation queue."""

from __future__ import annotations

from typing import Any

import pytest

from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.cases.models import Case
from amparo.core.services import SYSTEM
from amparo.intake.models import RequestState
from amparo.referrals.models import Referral, ReferralStatus
from amparo.referrals.services import referral_route
from tests.intake.helpers import route

pytestmark = pytest.mark.django_db


def test_the_provider_admin_answers_from_the_inbox(
    submit: Any, make_provider: Any, client_for: Any
) -> None:
    org, admin, profile = make_provider()
    request = submit().help_request
    referral = route(request)
    client = client_for(admin)
    inbox = client.get("/referrals/")
    assert inbox.status_code == 200 and request.reference in inbox.content.decode()
    assert request.name not in inbox.content.decode()  # names only on the detail page
    detail = client.get(f"/referrals/{referral.pk}/")
    assert detail.status_code == 200 and request.name in detail.content.decode()
    assert AuditEvent.objects.filter(
        action="read", object_id=str(request.pk), actor_id=admin.pk
    ).exists()
    response = client.post(f"/referrals/{referral.pk}/accept/", {"attorney": profile.pk})
    case = Case.objects.get(referral_id=referral.pk)
    # After accepting, the provider lands on the new case.
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.lead_attorney == profile.user and case.organization == org


def test_a_missing_reason_changes_nothing_and_is_shown_beside_the_field(
    submit: Any, make_provider: Any, client_for: Any
) -> None:
    _org, admin, _profile = make_provider()
    referral = route(submit().help_request)
    client = client_for(admin)
    for data, message in (
        ({}, "Choose a reason."),
        ({"reason": "because"}, "Select a valid choice. because is not one of the available"),
    ):
        response = client.post(f"/referrals/{referral.pk}/decline/", data)
        assert response.status_code == 400
        page = response.content.decode()
        # The summary names the field and links to its first choice; the message stands in the
        # reason's fieldset, which says it is described by it.
        assert f'<a href="#id_reason_0">Why can you not take it?: {message}' in page
        fieldset = page[page.index('<fieldset aria-describedby="id_reason_error"') :]
        assert fieldset.index('id="id_reason_error"') < fieldset.index("</fieldset>")
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.PENDING
    client.post(f"/referrals/{referral.pk}/decline/", {"reason": "conflict"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED


def test_other_organizations_and_attorneys_get_404(
    submit: Any, make_provider: Any, client_for: Any
) -> None:
    _org, _admin, profile = make_provider()
    _other, other_admin, _p = make_provider(counties=("Boulder",))
    referral = route(submit().help_request)
    for user in (other_admin, profile.user):
        client = client_for(user)
        assert client.get(f"/referrals/{referral.pk}/").status_code == 404
        assert client.post(f"/referrals/{referral.pk}/accept/", {}).status_code == 404
        assert (
            client.post(f"/referrals/{referral.pk}/decline/", {"reason": "other"}).status_code
            == 404
        )
    assert client_for(profile.user).get("/referrals/").status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING and not Case.objects.exists()


def test_fund_staff_work_the_escalation_queue(
    submit: Any, make_provider: Any, make_user: Any, client_for: Any
) -> None:
    worker = make_user(Role.INTAKE_WORKER)
    request = submit().help_request
    assert referral_route(help_request=request, by=SYSTEM) is None  # no provider yet: escalated
    request.refresh_from_db()
    assert request.state == RequestState.ESCALATED
    client = client_for(worker)
    page = client.get("/referrals/escalations/")
    assert page.status_code == 200 and request.reference in page.content.decode()
    org, _admin, _profile = make_provider(accepting=False)
    response = client.post(
        f"/referrals/route/{request.pk}/", {"organization": org.pk, "next": "escalations"}
    )
    assert response.status_code == 302 and response["Location"] == "/referrals/escalations/"
    referral = Referral.objects.get(help_request=request)
    assert referral.organization == org and referral.method == "manual"


def test_batch_assignment_of_the_waiting_queue(
    submit: Any, make_provider: Any, make_user: Any, client_for: Any
) -> None:
    org, _admin, _profile = make_provider(capacity=2)
    requests = [submit() for _ in range(3)]
    client = client_for(make_user(Role.FUND_ADMIN))
    response = client.post("/referrals/escalations/assign/")
    assert response.status_code == 302
    sent = Referral.objects.filter(status=ReferralStatus.PENDING)
    assert sent.count() == 2 and {r.method for r in sent} == {"batch"}
    assert all(r.organization == org for r in sent)
    left = [r for r in requests if not sent.filter(help_request=r.help_request).exists()]
    assert len(left) == 1


def test_once_a_case_the_identity_follows_the_case_rules(
    submit: Any, make_provider: Any, client_for: Any, make_user: Any
) -> None:
    """Issue #15, finding 2: the accepted referral and the request show a case's client by
    initials to anyone the case refuses the identity (fund staff, intake workers), and in full
    to the case's provider."""
    _org, admin, profile = make_provider()
    request = submit().help_request
    referral = route(request)
    client_for(admin).post(f"/referrals/{referral.pk}/accept/", {"attorney": profile.pk})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    name, a_number = request.name, request.a_number
    for role in (Role.FUND_ADMIN, Role.INTAKE_WORKER):
        client = client_for(make_user(role))
        for path in (f"/referrals/{referral.pk}/", f"/intake/requests/{request.pk}/"):
            response = client.get(path)
            page = response.content.decode()
            assert response.status_code == 200, (role, path)
            assert name not in page and (not a_number or a_number not in page), (role, path)
            for contact in (request.phone, request.email):
                assert not contact or contact not in page, (role, path)
            assert request.initials in page, (role, path)
    page = client_for(admin).get(f"/referrals/{referral.pk}/").content.decode()
    assert name in page


def test_an_unknown_attorney_is_refused_beside_the_field(
    submit: Any, make_provider: Any, client_for: Any
) -> None:
    _org, admin, _profile = make_provider()
    _other, _other_admin, stranger = make_provider(counties=("Boulder",))
    referral = route(submit().help_request)
    response = client_for(admin).post(
        f"/referrals/{referral.pk}/accept/", {"attorney": stranger.pk}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert '<a href="#id_attorney">Lead attorney: Select a valid choice.' in page
    assert 'id="id_attorney_error"' in page
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING and not Case.objects.exists()
