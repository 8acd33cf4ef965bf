"""The cases API: visible cases only, 404 parity, audited reads, 422 with field errors."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from amparo.accounts.roles import Role
from amparo.accounts.services import api_token_create
from amparo.audit.models import AuditEvent
from amparo.cases.models import Case, Hearing
from tests.clock import FROZEN_TODAY, frozen

pytestmark = [pytest.mark.django_db, frozen]
YESTERDAY = FROZEN_TODAY - datetime.timedelta(days=1)


class Api:
    def __init__(self, user: Any) -> None:
        _token, raw = api_token_create(user=user, name="test")
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def get(self, path: str) -> Any:
        return self.client.get(f"/api/v1{path}")

    def post(self, path: str, body: Any) -> Any:
        data = body if isinstance(body, str) else json.dumps(body)
        return self.client.post(f"/api/v1{path}", data=data, content_type="application/json")


@pytest.fixture
def world(
    org: Any, other_org: Any, attorney_of: Callable[..., Any], open_case: Callable[..., Case]
) -> dict[str, Any]:
    lead = attorney_of(org)
    stranger = attorney_of(other_org)
    mine = open_case(org, lead, client={"name": "Lucía Fernanda Ortiz", "a_number": "A123456789"})
    theirs = open_case(other_org, stranger)
    return {"lead": lead, "stranger": stranger, "mine": mine, "theirs": theirs}


def test_the_list_shows_only_the_callers_cases(world: dict[str, Any]) -> None:
    rows = Api(world["lead"]).get("/cases/").json()
    assert [r["id"] for r in rows] == [str(world["mine"].pk)]
    assert rows[0]["reference"] == world["mine"].reference
    assert "name" not in rows[0]  # the list carries no identity


def test_the_detail_has_the_contract_fields_and_is_audited(world: dict[str, Any]) -> None:
    lead, case = world["lead"], world["mine"]
    from amparo.cases.services import hearing_add

    hearing_add(case=case, kind="individual", date=datetime.date(2026, 9, 15), by=lead)
    response = Api(lead).get(f"/cases/{case.pk}")
    assert response.status_code == 200
    data = response.json()
    assert {"id", "client", "custody", "court", "hearings", "deadlines", "outcome"} <= set(data)
    assert data["client"] == {
        "name": "Lucía Fernanda Ortiz",
        "a_number": "A123456789",
        "initials": "L. F.",
    }
    assert data["custody"] == "never_detained" and data["court"] == "Denver Immigration Court"
    assert data["hearings"][0]["date"] == "2026-09-15"
    deadline = data["deadlines"][0]
    assert deadline["rule"] == "prehearing-filing" and deadline["due"] == "2026-08-17"
    assert deadline["citation"] == "Immigration Court Practice Manual 3.1(b)"
    assert data["outcome"] is None
    event = AuditEvent.objects.filter(action="read", object_id=str(case.pk)).latest("seq")
    assert event.actor_id == lead.pk and event.fields == ["client.a_number", "client.name"]


def test_a_forbidden_case_answers_exactly_like_a_missing_one(world: dict[str, Any]) -> None:
    api = Api(world["lead"])
    forbidden = api.get(f"/cases/{world['theirs'].pk}")
    missing = api.get("/cases/00000000-0000-4000-8000-000000000000")
    garbage = api.get("/cases/not-a-uuid")
    assert forbidden.status_code == missing.status_code == garbage.status_code == 404
    assert forbidden.json() == missing.json() == garbage.json()
    hearing = {"kind": "master", "date": "2026-09-15"}
    assert api.post(f"/cases/{world['theirs'].pk}/hearings", hearing).status_code == 404
    assert not Hearing.objects.filter(case=world["theirs"]).exists()
    assert not AuditEvent.objects.filter(action="read", object_id=str(world["theirs"].pk)).exists()


def test_fund_admins_get_the_case_without_identity(
    world: dict[str, Any], make_user: Callable[..., Any]
) -> None:
    api = Api(make_user(Role.FUND_ADMIN))
    assert len(api.get("/cases/").json()) == 2
    data = api.get(f"/cases/{world['mine'].pk}").json()
    assert data["client"] == {"name": None, "a_number": None, "initials": "L. F."}
    assert (
        api.post(
            f"/cases/{world['mine'].pk}/hearings", {"kind": "master", "date": "2026-09-15"}
        ).status_code
        == 404
    )


def test_posting_a_hearing_and_an_outcome_creates_their_deadlines(world: dict[str, Any]) -> None:
    api, case = Api(world["lead"]), world["mine"]
    created = api.post(
        f"/cases/{case.pk}/hearings",
        {
            "kind": "individual",
            "date": "2026-09-15",
            "time": "08:30",
            "judge": "Judge A. Whitfield",
        },
    )
    assert created.status_code == 201
    assert created.json()["time"] == "08:30"
    outcome = api.post(
        f"/cases/{case.pk}/outcome",
        {"kind": "removal_order", "decided_by": "ij", "decision_date": YESTERDAY.isoformat()},
    )
    assert outcome.status_code == 201
    assert (
        outcome.json()["eoir_decision_code"] == "X"
        and outcome.json()["eoir_code_confirmed"] is False
    )
    data = api.get(f"/cases/{case.pk}").json()
    assert {d["rule"] for d in data["deadlines"]} == {
        "prehearing-filing",
        "bia-appeal",
        "ij-reconsider",
        "ij-reopen",
    }
    assert data["outcome"]["kind"] == "removal_order"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("hearings", {"kind": "trial", "date": "2026-09-15"}, "kind"),
        ("hearings", {"kind": "master", "date": "2026-02-30"}, "date"),
        ("hearings", {"kind": "master", "date": "2026-09-15", "color": "red"}, "color"),
        ("hearings", {"kind": "master"}, "date"),
        ("hearings", "{not json", ""),
        ("hearings", "[1, 2]", ""),
        ("outcome", {"kind": "made_up", "decided_by": "ij", "decision_date": "2026-01-05"}, "kind"),
        (
            "outcome",
            {"kind": "approved", "decided_by": "ij", "decision_date": "2026-01-05"},
            "kind",
        ),
        (
            "outcome",
            {"kind": "removal_order", "decided_by": "ij", "decision_date": "2999-01-05"},
            "decision_date",
        ),
    ],
)
def test_bad_input_answers_422_with_field_errors_and_changes_nothing(
    world: dict[str, Any], path: str, body: Any, field: str
) -> None:
    case = world["mine"]
    response = Api(world["lead"]).post(f"/cases/{case.pk}/{path}", body)
    assert response.status_code == 422
    data = response.json()
    assert data["detail"] and any(e["field"] == field for e in data["errors"]), data
    assert not Hearing.objects.filter(case=case).exists() and not case.outcomes.exists()


def test_no_token_no_cases(world: dict[str, Any]) -> None:
    assert Client().get("/api/v1/cases/").status_code == 401


def test_a_page_beyond_any_database_integer_is_refused_with_422_not_500(
    make_user: Any, client_for: Any
) -> None:
    user = make_user(Role.FUND_ADMIN)
    _token, raw = api_token_create(user=user, name="paging")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    far = client.get("/api/v1/cases/", {"offset": 38805515050792546555920384, "limit": 9088798})
    assert far.status_code == 422
    assert {e["field"] for e in far.json()["errors"]} >= {"offset"}
    assert client.get("/api/v1/cases/", {"offset": 0, "limit": 500}).status_code == 200
