"""The API with personal tokens: who the token is, what it sees, and bad input."""

from __future__ import annotations

import pytest
from django.test import Client

from amparo.accounts.roles import Role
from amparo.accounts.services import api_token_create, api_token_revoke
from amparo.organizations.models import AttorneyProfile, Membership
from tests.factories import AttorneyProfileFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _api(user) -> tuple[Client, dict[str, str]]:
    _token, raw = api_token_create(user=user, name="test")
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def two_orgs():
    return OrganizationFactory(name="Alpha Legal", slug="alpha"), OrganizationFactory(
        name="Beta Legal", slug="beta"
    )


def test_token_authenticates_as_its_user(make_user, two_orgs):
    alpha, _beta = two_orgs
    user = make_user(Role.PROVIDER_ADMIN, org=alpha)
    client, auth = _api(user)
    response = client.get("/api/v1/me", **auth)
    assert response.status_code == 200
    assert response.json() == {
        "id": user.pk,
        "email": user.email,
        "role": "provider_admin",
        "organization": "alpha",
    }


def test_no_token_bad_token_and_revoked_token_get_401(make_user):
    user = make_user(Role.FUND_ADMIN)
    token, raw = api_token_create(user=user, name="soon revoked")
    client = Client()
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer amp_nonsense").status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    api_token_revoke(token=token)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_a_providers_token_lists_only_its_own_organization(make_user, two_orgs):
    alpha, _beta = two_orgs
    provider, auth = _api(make_user(Role.ATTORNEY, org=alpha))
    assert [o["slug"] for o in provider.get("/api/v1/organizations", **auth).json()] == ["alpha"]
    fund, fund_auth = _api(make_user(Role.FUND_ADMIN))
    assert sorted(o["slug"] for o in fund.get("/api/v1/organizations", **fund_auth).json()) == [
        "alpha",
        "beta",
    ]
    donor, donor_auth = _api(make_user(Role.DONOR, mfa=False))
    assert donor.get("/api/v1/organizations", **donor_auth).json() == []


def test_a_token_follows_membership_changes_at_once(make_user, two_orgs):
    alpha, _beta = two_orgs
    user = make_user(Role.ATTORNEY, org=alpha)
    client, auth = _api(user)
    assert len(client.get("/api/v1/organizations", **auth).json()) == 1
    Membership.objects.filter(user=user).update(is_active=False)
    assert client.get("/api/v1/organizations", **auth).json() == []
    assert client.get("/api/v1/me", **auth).json()["organization"] is None


def test_attorney_list_is_scoped_to_the_caller(make_user, two_orgs):
    alpha, beta = two_orgs
    mine = AttorneyProfileFactory(organization=alpha)
    MembershipFactory(user=mine.user, organization=alpha)
    theirs = AttorneyProfileFactory(organization=beta)
    MembershipFactory(user=theirs.user, organization=beta)
    client, auth = _api(make_user(Role.PROVIDER_ADMIN, org=alpha))
    assert [a["id"] for a in client.get("/api/v1/attorneys", **auth).json()] == [mine.pk]
    fund, fund_auth = _api(make_user(Role.FUND_ADMIN))
    assert {a["id"] for a in fund.get("/api/v1/attorneys", **fund_auth).json()} == {
        mine.pk,
        theirs.pk,
    }
    board, board_auth = _api(make_user(Role.BOARD_MEMBER))
    assert board.get("/api/v1/attorneys", **board_auth).json() == []


@pytest.fixture
def lawyer_profile(make_user, two_orgs):
    alpha, _beta = two_orgs
    user = make_user(Role.ATTORNEY, org=alpha)
    return AttorneyProfileFactory(user=user, organization=alpha, capacity=20)


def _patch(client, url, body, auth):
    return client.patch(url, data=body, content_type="application/json", **auth)


def test_an_attorney_updates_their_capacity(lawyer_profile):
    client, auth = _api(lawyer_profile.user)
    response = _patch(
        client,
        f"/api/v1/attorneys/{lawyer_profile.pk}",
        '{"capacity": 7, "accepting_new_cases": false, "languages": ["es", "mam"]}',
        auth,
    )
    assert response.status_code == 200, response.content
    assert response.json()["capacity"] == 7 and response.json()["languages"] == ["es", "mam"]
    lawyer_profile.refresh_from_db()
    assert lawyer_profile.capacity == 7 and not lawyer_profile.accepting_new_cases


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("{not json", ""),
        ("[1, 2]", ""),
        ('{"capacity": -3}', "capacity"),
        ('{"capacity": "lots"}', "capacity"),
        ('{"accepting_new_cases": "yes"}', "accepting_new_cases"),
        ('{"languages": ["xx"]}', "languages"),
        ('{"languages": []}', "languages"),
        ('{"practice_areas": ["tax"]}', "practice_areas"),
        ('{"colour": "blue"}', "colour"),
    ],
)
def test_bad_json_and_bad_fields_get_422_json_and_change_nothing(lawyer_profile, body, field):
    client, auth = _api(lawyer_profile.user)
    response = _patch(client, f"/api/v1/attorneys/{lawyer_profile.pk}", body, auth)
    assert response.status_code == 422
    payload = response.json()
    assert payload["detail"] and isinstance(payload["errors"], list)
    assert any(
        e["field"] == field if not field else e["field"].startswith(field)
        for e in payload["errors"]
    ), payload
    lawyer_profile.refresh_from_db()
    assert lawyer_profile.capacity == 20 and lawyer_profile.languages == ["en", "es"]


def test_a_token_cannot_touch_a_profile_it_may_not_edit(lawyer_profile, make_user, two_orgs):
    _alpha, beta = two_orgs
    colleague, auth = _api(make_user(Role.ATTORNEY, org=lawyer_profile.organization))
    outsider, outsider_auth = _api(make_user(Role.PROVIDER_ADMIN, org=beta))
    url = f"/api/v1/attorneys/{lawyer_profile.pk}"
    assert _patch(colleague, url, '{"capacity": 1}', auth).status_code == 404
    assert _patch(outsider, url, '{"capacity": 1}', outsider_auth).status_code == 404
    assert (
        _patch(outsider, "/api/v1/attorneys/999999", '{"capacity": 1}', outsider_auth).status_code
        == 404
    )
    assert AttorneyProfile.objects.get(pk=lawyer_profile.pk).capacity == 20
