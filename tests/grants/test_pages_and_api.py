"""Recusal in pages and API: a conflicted board member gets 404 exactly as for a missing
application, and each refusal is audited. Pages: apply, score, award, pay, bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest

from amparo.accounts.roles import Role
from amparo.accounts.services import api_token_create
from amparo.audit.models import AuditEvent
from amparo.grants.models import Award, Score, Tranche
from amparo.grants.services import conflict_declare
from tests.clock import frozen

from .conftest import fund, in_review

pytestmark = [pytest.mark.django_db, frozen]


def _token(user: Any) -> str:
    return api_token_create(user=user, name="t")[1]


def test_conflicted_member_gets_404_in_pages_and_api_and_it_is_audited(
    application: Any, open_round: Any, make_user: Any, client_for: Any
) -> None:
    in_review(open_round)
    member, other = make_user(Role.BOARD_MEMBER), make_user(Role.BOARD_MEMBER)
    conflict_declare(by=member, application=application)
    c = client_for(member)
    url = f"/grants/applications/{application.pk}/"
    assert client_for(other).get(url).status_code == 200
    missing = c.get("/grants/applications/999999/")
    refused = c.get(url)
    assert refused.status_code == missing.status_code == 404
    assert c.post(url + "score/", {}).status_code == 404
    summary = c.get(f"/grants/rounds/{open_round.pk}/summary/")
    assert application.organization.name not in summary.content.decode()
    assert AuditEvent.objects.filter(action="grants.recusal_refused").count() == 2
    token = _token(member)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    from django.test import Client

    api = Client()
    assert api.get(f"/api/v1/grants/applications/{application.pk}", **headers).status_code == 404
    assert api.get("/api/v1/grants/applications/999999", **headers).status_code == 404
    listed = api.get("/api/v1/grants/applications", **headers).json()
    assert listed == []
    body = {"scores": [{"criterion": c.pk, "value": 5} for c in open_round.criteria.all()]}
    scored = api.post(
        f"/api/v1/grants/applications/{application.pk}/scores",
        data=json.dumps(body),
        content_type="application/json",
        **headers,
    )
    assert scored.status_code == 404
    assert not Score.objects.exists()
    other_headers = {"HTTP_AUTHORIZATION": f"Bearer {_token(other)}"}
    ok = api.post(
        f"/api/v1/grants/applications/{application.pk}/scores",
        data=json.dumps(body),
        content_type="application/json",
        **other_headers,
    )
    assert ok.status_code == 201 and ok.json()["score"] == 5.0
    bad = api.post(
        f"/api/v1/grants/applications/{application.pk}/scores",
        data=json.dumps({"scores": [{"criterion": 1, "value": 9}]}),
        content_type="application/json",
        **other_headers,
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] and all("message" in e for e in bad.json()["errors"])


def test_provider_applies_through_the_page_and_bad_input_changes_nothing(
    open_round: Any, grantee: Any, client_for: Any
) -> None:
    organization, user = grantee
    c = client_for(user)
    url = f"/grants/rounds/{open_round.pk}/apply/"
    assert c.get(url).status_code == 200
    bad = c.post(url, {"category": "detained_removal", "narrative": "x", "line_1_amount": "-5"})
    assert bad.status_code == 400
    assert not organization.grant_applications.exists()
    good = c.post(
        url,
        {
            "category": "detained_removal",
            "narrative": "Detained defense",
            "line_1_description": "Attorney",
            "line_1_amount": "1250.50",
        },
    )
    assert good.status_code == 302
    assert organization.grant_applications.get().requested == 125_050


def test_admin_awards_and_pay_beyond_balance_is_refused_with_a_message(
    application: Any, open_round: Any, admin: Any, city: Any, client_for: Any
) -> None:
    in_review(open_round)
    fund(city, 5_000_000)
    c = client_for(admin)
    r = c.post(f"/grants/applications/{application.pk}/award/", {"amount": "60000"}, follow=True)
    assert "beyond the money held" in r.content.decode()
    assert not Award.objects.exists()
    c.post(f"/grants/applications/{application.pk}/award/", {"amount": "50000"})
    award = Award.objects.get()
    c.post(f"/grants/awards/{award.pk}/tranches/", {"amount": "50000", "due_on": "2026-01-01"})
    tranche = Tranche.objects.get()
    from django.utils import timezone

    from amparo.ledger.services import restricted_spend

    restricted_spend(
        restriction=city,
        category="detained_removal",
        amount=100,
        currency="USD",
        memo="x",
        effective_date=timezone.localdate(),
        by=admin,
    )
    r = c.post(f"/grants/tranches/{tranche.pk}/pay/", follow=True)
    assert r.status_code == 200 and "Not enough money" in r.content.decode()
    tranche.refresh_from_db()
    assert tranche.paid_on is None
    pdf = c.get(f"/grants/awards/{award.pk}/agreement.pdf?lang=es")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
