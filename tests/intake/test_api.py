"""POST /api/v1/help-requests and the providers' referral endpoints, through the real stack."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from amparo.accounts.roles import Role
from amparo.accounts.services import api_token_create
from amparo.cases.models import Case
from amparo.intake.models import HelpRequest, RequestState
from amparo.referrals.models import Referral, ReferralStatus
from tests.intake.helpers import route

pytestmark = pytest.mark.django_db

BODY = {
    "language": "es",
    "name": "Yesenia Paola Chávez",
    "phone": "+1 303 555 0177",
    "email": None,
    "zip": "80010",
    "household_size": 4,
    "annual_income": 38000,
    "detained": True,
    "facility": "Front Range Processing Center",
    "a_number": "A-204-111-222",
    "next_hearing": None,
    "court": "Denver Immigration Court",
    "practice_area": "detained_removal",
}


def _client(user: Any, language: str = "en") -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE=language)


def _post(client: Client, url: str, body: Any, **extra: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


def test_an_intake_worker_creates_a_request(make_user: Any, policy: Any) -> None:
    response = _post(_client(make_user(Role.INTAKE_WORKER)), "/api/v1/help-requests", BODY)
    assert response.status_code == 201, response.content
    data = response.json()
    request = HelpRequest.objects.get(reference=data["reference"])
    assert data["eligible"] is True and data["eligibility"] == "eligible"
    assert data["priority"] == request.priority == 1000
    assert data["reasons"] == [
        {
            "code": "detained",
            "points": 1000,
            "text": "Detained: people in detention go first. (+1000)",
        }
    ]
    assert {r["criterion"] for r in data["eligibility_reasons"]} == {
        "custody",
        "residence",
        "court",
        "practice_area",
        "income",
    }
    assert request.source == "api" and request.name == BODY["name"] and request.detained


def test_bad_input_answers_422_with_a_translated_message_per_field(
    make_user: Any, policy: Any
) -> None:
    client = _client(make_user(Role.INTAKE_WORKER), language="es")
    bad = {
        **BODY,
        "language": "xx",
        "name": 5,
        "phone": "12",
        "zip": "ABCDE",
        "household_size": "four",
        "annual_income": -3,
        "detained": "yes",
        "a_number": "A-1",
        "next_hearing": "tomorrow",
        "practice_area": "tax",
        "favorite_color": "blue",
    }
    response = _post(client, "/api/v1/help-requests", bad)
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(errors) == {
        "language",
        "name",
        "phone",
        "zip",
        "household_size",
        "annual_income",
        "detained",
        "a_number",
        "next_hearing",
        "practice_area",
        "favorite_color",
    }
    assert errors["detained"] == "Escriba true o false."
    assert errors["a_number"].startswith("Un número A") or "dígitos" in errors["a_number"]
    assert HelpRequest.objects.count() == 0


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b"null", b"\xff\xfe"])
def test_malformed_bodies_are_422_not_500(make_user: Any, body: Any) -> None:
    response = _client(make_user(Role.INTAKE_WORKER)).post(
        "/api/v1/help-requests", body, content_type="application/json"
    )
    assert response.status_code == 422


def test_a_phone_or_an_email_is_required(make_user: Any, policy: Any) -> None:
    response = _post(
        _client(make_user(Role.INTAKE_WORKER)), "/api/v1/help-requests", {**BODY, "phone": None}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["phone"]


def test_the_idempotency_key_returns_the_same_request(make_user: Any, policy: Any) -> None:
    client = _client(make_user(Role.INTAKE_WORKER))
    first = _post(client, "/api/v1/help-requests", BODY, HTTP_IDEMPOTENCY_KEY="call-2026-0001")
    again = _post(client, "/api/v1/help-requests", BODY, HTTP_IDEMPOTENCY_KEY="call-2026-0001")
    assert first.status_code == 201 and again.status_code == 200
    assert (
        first.json()["reference"] == again.json()["reference"] and HelpRequest.objects.count() == 1
    )


@pytest.mark.parametrize(
    "role", [Role.PROVIDER_ADMIN, Role.ATTORNEY, Role.DONOR, Role.BOARD_MEMBER]
)
def test_other_roles_cannot_create(make_user: Any, role: Any) -> None:
    response = _post(_client(make_user(role)), "/api/v1/help-requests", BODY)
    assert response.status_code == 403 and HelpRequest.objects.count() == 0


def test_no_token_is_401() -> None:
    assert _post(Client(), "/api/v1/help-requests", BODY).status_code == 401


def test_a_provider_lists_accepts_and_declines_its_referrals(
    submit: Any, make_provider: Any
) -> None:
    org, admin, profile = make_provider(name="Alpha", capacity=30)
    _other_org, other_admin, _p = make_provider(name="Beta", counties=("Boulder",))
    first = route(submit().help_request)
    second = route(submit().help_request)
    assert first.organization == org and second.organization == org
    client = _client(admin)
    listed = client.get("/api/v1/referrals").json()
    assert {r["id"] for r in listed} == {first.pk, second.pk}
    assert all("name" not in r for r in listed) and listed[0]["reasons"]
    assert _client(other_admin).get("/api/v1/referrals").json() == []
    # Another organization's admin cannot answer: 404, as for a missing referral.
    assert (
        _post(_client(other_admin), f"/api/v1/referrals/{first.pk}/accept", {}).status_code == 404
    )
    assert _post(client, "/api/v1/referrals/999999/accept", {}).status_code == 404
    assert (
        _post(client, f"/api/v1/referrals/{first.pk}/accept", {"attorney_id": "x"}).status_code
        == 422
    )
    accepted = _post(client, f"/api/v1/referrals/{first.pk}/accept", {"attorney_id": profile.pk})
    assert accepted.status_code == 200, accepted.content
    assert Case.objects.get(pk=accepted.json()["case_id"]).referral_id == first.pk
    assert _post(client, f"/api/v1/referrals/{first.pk}/accept", {}).status_code == 409
    assert (
        _post(client, f"/api/v1/referrals/{second.pk}/decline", {"reason": "maybe"}).status_code
        == 422
    )
    declined = _post(client, f"/api/v1/referrals/{second.pk}/decline", {"reason": "no_capacity"})
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert not Referral.objects.filter(
        help_request=second.help_request, status=ReferralStatus.PENDING
    ).exists()
    assert HelpRequest.objects.get(pk=second.help_request_id).state == RequestState.ESCALATED
    assert HelpRequest.objects.get(pk=first.help_request_id).state == RequestState.PLACED
