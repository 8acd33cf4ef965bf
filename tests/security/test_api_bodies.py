"""Finding 5 of issue #15: malformed bodies answer 400 or 413 in the API's shape, never 500.

Every endpoint that takes a body is tried (found in the API's own schema), with JSON nested
10,000 deep and with a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from amparo.accounts.roles import Role
from amparo.accounts.services import api_token_create
from amparo.api.api import api

pytestmark = pytest.mark.django_db

DEEP = b"[" * 10_000 + b"]" * 10_000
DEEP_OBJECT = b'{"a":' * 10_000 + b"1" + b"}" * 10_000


def _endpoints_with_a_body() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    found = []
    for path, operations in schema["paths"].items():
        for method in operations:
            if method in ("post", "put", "patch"):
                concrete = re.sub(r"\{[^}]+\}", "00000000-0000-0000-0000-000000000001", path)
                found.append((method, concrete))
    return found


ENDPOINTS = _endpoints_with_a_body()


def test_there_are_endpoints_to_try():
    assert len(ENDPOINTS) >= 5


@pytest.fixture
def client(make_user):
    _token, raw = api_token_create(user=make_user(Role.FUND_ADMIN), name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _send(client, method, path, body):
    return getattr(client, method)(path, body, content_type="application/json")


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["array", "object"])
def test_deeply_nested_json_is_400(client, method, path, body):
    response = _send(client, method, path, body)
    assert response.status_code == 400, response.content[:200]
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "The request body is nested too deeply."}


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_a_body_over_the_size_limit_is_413(client, method, path):
    body = b'{"note": "' + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + b'"}'
    response = _send(client, method, path, body)
    assert response.status_code == 413, response.content[:200]
    assert response.json() == {"detail": "The request body is too large."}


def test_ordinary_nesting_still_reaches_the_endpoint(client):
    # Within the limit: the endpoint's own validation answers (422), not the guard.
    response = client.post(
        "/api/v1/help-requests", b'{"a": [[[[{"b": [1]}]]]]}', content_type="application/json"
    )
    assert response.status_code == 422


def test_strings_do_not_count_as_nesting():
    from amparo.api.middleware import json_depth_exceeds

    assert not json_depth_exceeds(b'{"a": "' + b"[" * 1000 + b'\\" [[["}')
    assert json_depth_exceeds(b"[" * 65)
    assert not json_depth_exceeds(b"[" * 64 + b"]" * 64)
