"""Property-based tests of the intake and referral API (schemathesis, from the OpenAPI schema):
whatever the body, no 5xx, and every answer matches the documented schema."""

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
from schemathesis.specs.openapi.checks import response_schema_conformance

from amparo.accounts.roles import Role
from amparo.accounts.services import api_token_create
from amparo.api.api import api

# Loaded from the API object (no request at import time), then called through the WSGI app.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()
ours = schema.include(path_regex=r"^/api/v1/(help-requests|referrals)")


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """As Django's test client does: requests must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(make_user: Any, policy: Any) -> str:
    _token, raw = api_token_create(user=make_user(Role.INTAKE_WORKER), name="fuzz")
    return raw


@ours.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_no_server_errors_and_answers_match_the_schema(case: Any, token: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"},
        # Validation is stricter than a JSON schema can say (phone numbers, A-numbers, dates,
        # "a phone or an email"), so schema-valid bodies may get a 422: what must hold is
        # that nothing is a server error and every answer is as documented.
        checks=[not_a_server_error, response_schema_conformance],
    )
