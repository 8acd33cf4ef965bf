"""The books' pages: the treasurer sees everything, the board the statements, others nothing."""

from __future__ import annotations

from typing import Any

import pytest

from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.ledger import chart
from amparo.ledger.services import PostingSpec, entry_post
from tests.clock import frozen

pytestmark = [pytest.mark.django_db, frozen]


@pytest.fixture
def posted(treasurer: Any, day: Any, detained: Any) -> Any:
    entry_post(
        postings=[
            PostingSpec(chart.CASH, 123_456, "USD", detained),
            PostingSpec(chart.PUBLIC_FUNDS, -123_456, "USD", detained),
        ],
        memo="City appropriation",
        effective_date=day,
        by=treasurer,
    )


def test_treasurer_sees_trial_balance_and_statements(
    posted: Any, treasurer: Any, client_for: Any
) -> None:
    client = client_for(treasurer)
    page = client.get("/ledger/trial-balance/").content.decode()
    assert "$1,234.56" in page
    assert "The books balance" in page
    position = client.get("/ledger/").content.decode()
    assert "Detained removal defense" in position
    activities = client.get("/ledger/activities/").content.decode()
    assert "Government appropriations" in activities


def test_statements_are_in_spanish_with_spanish_money(
    posted: Any, treasurer: Any, client_for: Any
) -> None:
    client = client_for(treasurer)
    page = client.get("/ledger/trial-balance/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Balance de comprobación" in page
    assert "$1,234.56" in page  # es_US: US dollars written the US way


def test_board_member_sees_statements_but_not_the_books(
    posted: Any, make_user: Any, client_for: Any
) -> None:
    client = client_for(make_user(Role.BOARD_MEMBER))
    assert client.get("/ledger/").status_code == 200
    assert client.get("/ledger/activities/").status_code == 200
    assert client.get("/ledger/trial-balance/").status_code == 404
    assert client.get("/ledger/journal.csv").status_code == 404


@pytest.mark.parametrize("role", [Role.DONOR, Role.ATTORNEY, Role.INTAKE_WORKER])
def test_other_roles_see_nothing(posted: Any, make_user: Any, client_for: Any, role: Any) -> None:
    client = client_for(make_user(role))
    for url in (
        "/ledger/",
        "/ledger/activities/",
        "/ledger/trial-balance/",
        "/ledger/journal.beancount",
    ):
        assert client.get(url).status_code == 404


def test_bad_period_is_a_translated_400_not_a_500(treasurer: Any, client_for: Any) -> None:
    client = client_for(treasurer)
    response = client.get("/ledger/activities/?start=2025-05-01&end=2025-01-01")
    assert response.status_code == 400
    assert "on or after its start" in response.content.decode()
    response = client.get("/ledger/activities/?start=not-a-date", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400


def test_exports_are_audited(posted: Any, treasurer: Any, client_for: Any) -> None:
    response = client_for(treasurer).get("/ledger/journal.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "City appropriation" in body
    assert AuditEvent.objects.filter(action="ledger.exported").count() == 1
