"""A round's budget stays within what its restriction holds or has been promised unless a
reason is recorded; drafts can be changed and deleted, open rounds cannot; a round opened
before its start says when applications open; the summary recommends "Financiar" in Spanish."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.core.services import ServiceError
from amparo.grants.models import GrantRound, RoundStatus
from amparo.grants.services import round_create, round_delete, round_update, scores_record
from tests.clock import frozen

from .conftest import fund, in_review

pytestmark = [pytest.mark.django_db, frozen]


def _form(city: Any, **changes: str) -> dict[str, Any]:
    """The new-round form as a fund administrator fills it in."""
    today = timezone.localdate()
    data = {
        "name": "Detained defense, spring",
        "budget": "5000",
        "opens_on": (today + datetime.timedelta(days=5)).isoformat(),
        "closes_on": (today + datetime.timedelta(days=40)).isoformat(),
        "restriction": str(city.pk),
        "categories": ["detained_removal"],
        "budget_override": "",
    }
    data.update(changes)
    return data


def _draft(city: Any, admin: Any, budget: int = 100_000) -> GrantRound:
    today = timezone.localdate()
    return round_create(
        name="Draft round",
        budget=budget,
        opens_on=today + datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=40),
        restriction=city,
        by=admin,
    )


@pytest.mark.parametrize(
    ("language", "label", "message"),
    [
        ("en", "Budget (USD)", "is more than City: detained removal defense holds"),
        ("es", "Presupuesto (USD)", "es mayor que lo que City: detained removal defense tiene"),
    ],
)
def test_budget_beyond_the_restriction_is_refused_beside_the_budget(
    admin: Any, city: Any, client_for: Any, language: str, label: str, message: str
) -> None:
    fund(city, 400_000)
    response = client_for(admin).post(
        "/grants/rounds/new/", _form(city), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert message in errors["budget"][0]
    assert "4,000.00" in errors["budget"][0] or "4000,00" in errors["budget"][0]
    page = response.content.decode()
    assert f"{label}: " in page  # the error summary names the field
    assert not GrantRound.objects.exists()


def test_money_promised_by_an_appropriation_counts(admin: Any, city: Any) -> None:
    from amparo.donations.services import appropriation_create

    today = timezone.localdate()
    appropriation_create(
        name="City FY26",
        funder="City council",
        restriction=city,
        amount=300_000,
        currency="USD",
        period_start=today - datetime.timedelta(days=30),
        period_end=today + datetime.timedelta(days=300),
        by=admin,
    )
    fund(city, 200_000)
    assert _draft(city, admin, budget=500_000).budget == 500_000
    with pytest.raises(ServiceError) as refused:
        _draft(city, admin, budget=500_001)
    assert "budget" in refused.value.message_dict


def test_override_creates_the_round_and_records_the_reason(
    admin: Any, city: Any, client_for: Any
) -> None:
    reason = "The council voted the money on May 2; payment follows in June."
    response = client_for(admin).post("/grants/rounds/new/", _form(city, budget_override=reason))
    assert response.status_code == 302
    grant_round = GrantRound.objects.get()
    assert grant_round.budget == 500_000
    event = AuditEvent.objects.get(action="grants.round_budget_override")
    assert event.reason == reason
    assert event.object_id == str(grant_round.pk)


def test_a_round_within_the_restriction_needs_no_reason(admin: Any, city: Any) -> None:
    fund(city, 100_000)
    _draft(city, admin, budget=100_000)
    assert not AuditEvent.objects.filter(action="grants.round_budget_override").exists()


def test_a_draft_is_changed_through_its_page(admin: Any, city: Any, client_for: Any) -> None:
    fund(city, 1_000_000)
    grant_round = _draft(city, admin)
    c = client_for(admin)
    page = c.get(f"/grants/rounds/{grant_round.pk}/edit/")
    assert 'value="Draft round"' in page.content.decode()
    response = c.post(
        f"/grants/rounds/{grant_round.pk}/edit/", _form(city, name="Renamed", budget="7500")
    )
    assert response.status_code == 302
    grant_round.refresh_from_db()
    assert (grant_round.name, grant_round.budget) == ("Renamed", 750_000)
    assert AuditEvent.objects.filter(action="grants.round_updated").exists()


def test_a_draft_edit_beyond_the_restriction_is_refused(
    admin: Any, city: Any, client_for: Any
) -> None:
    fund(city, 100_000)
    grant_round = _draft(city, admin)
    response = client_for(admin).post(
        f"/grants/rounds/{grant_round.pk}/edit/", _form(city, budget="2000")
    )
    assert response.status_code == 400
    assert "budget" in response.context["form"].errors
    grant_round.refresh_from_db()
    assert grant_round.budget == 100_000


def test_a_draft_is_deleted_and_the_deletion_audited(
    admin: Any, city: Any, client_for: Any
) -> None:
    fund(city, 100_000)
    grant_round = _draft(city, admin)
    response = client_for(admin).post(f"/grants/rounds/{grant_round.pk}/delete/", follow=True)
    assert "The draft round Draft round was deleted." in response.content.decode()
    assert not GrantRound.objects.filter(pk=grant_round.pk).exists()
    assert AuditEvent.objects.filter(action="grants.round_deleted").exists()


def test_an_open_round_is_neither_changed_nor_deleted(
    admin: Any, city: Any, client_for: Any
) -> None:
    fund(city, 100_000)
    grant_round = _draft(city, admin)
    GrantRound.objects.filter(pk=grant_round.pk).update(status=RoundStatus.OPEN)
    grant_round.refresh_from_db()
    with pytest.raises(ServiceError):
        round_delete(grant_round=grant_round, by=admin)
    with pytest.raises(ServiceError):
        round_update(
            grant_round=grant_round,
            name="Changed",
            budget=100_000,
            opens_on=grant_round.opens_on,
            closes_on=grant_round.closes_on,
            restriction=city,
            by=admin,
        )
    c = client_for(admin)
    edit = c.post(f"/grants/rounds/{grant_round.pk}/edit/", _form(city, name="X"), follow=True)
    assert "Only a draft round can be changed or deleted." in edit.content.decode()
    c.post(f"/grants/rounds/{grant_round.pk}/delete/")
    grant_round.refresh_from_db()
    assert grant_round.name == "Draft round"
    assert not AuditEvent.objects.filter(
        action__in=["grants.round_updated", "grants.round_deleted"]
    ).exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Applications open on May 18, 2026."),
        ("es", "Las solicitudes se reciben a partir del 18 de mayo de 2026."),
    ],
)
def test_a_round_opened_before_its_start_says_when_applications_open(
    admin: Any, city: Any, client_for: Any, make_user: Any, language: str, expected: str
) -> None:
    fund(city, 100_000)
    grant_round = _draft(city, admin)
    c = client_for(admin)
    opened = c.post(
        f"/grants/rounds/{grant_round.pk}/transition/",
        {"to": RoundStatus.OPEN},
        HTTP_ACCEPT_LANGUAGE=language,
        follow=True,
    )
    assert expected in opened.content.decode()
    provider = client_for(make_user(Role.PROVIDER_ADMIN))
    page = provider.get(f"/grants/rounds/{grant_round.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert expected in page.content.decode()


def test_the_spanish_summary_recommends_financiar(
    application: Any, open_round: Any, make_user: Any, client_for: Any, admin: Any
) -> None:
    in_review(open_round)
    member = make_user(Role.BOARD_MEMBER)
    scores_record(
        application=application,
        by=member,
        scores={c.pk: (5, "") for c in open_round.criteria.all()},
    )
    page = client_for(admin).get(
        f"/grants/rounds/{open_round.pk}/summary/", HTTP_ACCEPT_LANGUAGE="es"
    )
    assert "<td>Financiar</td>" in page.content.decode()
