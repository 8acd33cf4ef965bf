"""schemathesis over the whole API (the intake and referral operations have their own, deeper
run in tests/intake/test_api_fuzz.py): whatever the input, no 5xx, and every answer matches
the OpenAPI document, for a fund admin, a provider admin and an attorney."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from amparo.accounts.roles import Role
from amparo.accounts.services import api_token_create
from amparo.api.api import api

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()
rest = schema.exclude(path_regex=r"^/api/v1/(help-requests|referrals)")


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """As Django's test client does: requests must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=[Role.FUND_ADMIN, Role.PROVIDER_ADMIN, Role.ATTORNEY])
def token(request: Any, make_user: Any, org: Any) -> str:
    role = request.param
    user = make_user(role, org=org if role != Role.FUND_ADMIN else None)
    _token, raw = api_token_create(user=user, name="schemathesis")
    return raw


@rest.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_no_server_errors_and_answers_match_the_schema(case: Any, token: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"},
        checks=[not_a_server_error, response_schema_conformance],
    )


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_every_status_answered_is_in_the_document(case: Any, token: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"},
        checks=[not_a_server_error, status_code_conformance],
    )


#: The search's query has a grammar (references, emails, A-numbers, names) that a JSON Schema
#: string cannot state: a query of the right type may still be refused, with 422 and a message
#: on ``q``, which the document lists. The calendar's range ties its two ends together (``to``
#: not before ``from``, at most 366 days on), which no schema of one parameter states either.
#: Every other operation must take what its schema allows.
positive = rest.exclude(path_regex=r"^/api/v1/(search|calendar)")


@positive.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_no_request_the_document_allows_is_refused_as_invalid(case: Any, token: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"},
        checks=[positive_data_acceptance],
    )


def test_every_operation_documents_its_error_statuses_and_choice_fields_their_enum() -> None:
    from amparo.cases.outcomes import OutcomeKind
    from amparo.organizations.models import PracticeArea
    from amparo.referrals.models import DeclineReason

    document = api.get_openapi_schema()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            expected = {"401", "404", "422", "429"}
            if method in ("post", "put", "patch", "delete"):
                expected |= {"400", "413"}
            assert expected <= set(operation["responses"]), (method, path)

    def enum_of(path: str, field: str) -> list[Any]:
        body = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        schema = body["schema"]
        if "$ref" in schema:
            schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        return schema["properties"][field]["enum"]

    paths = document["paths"]
    decline = next(p for p in paths if p.endswith("/decline"))
    outcome = next(p for p in paths if p.endswith("/outcome"))
    intake = next(p for p in paths if p.endswith("/help-requests"))
    assert sorted(enum_of(decline, "reason")) == sorted(DeclineReason.values)
    assert sorted(enum_of(outcome, "kind")) == sorted(OutcomeKind.values)
    assert set(enum_of(intake, "practice_area")) == {*PracticeArea.values, None}
