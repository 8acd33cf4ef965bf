"""Nothing protected in URLs: no path or query parameter is named like a protected field."""

from __future__ import annotations

import pytest

from amparo.api.api import api
from tests.support.url_walk import (
    is_protected_parameter,
    protected_openapi_parameters,
    protected_url_parameters,
    url_entries,
)

#: Reviewed exceptions: (route, parameter) -> why the value is not protected data. Prefer
#: renaming the parameter; an entry here is for names that cannot change yet.
REVIEWED_EXCEPTIONS: dict[tuple[str, str], str] = {}


def test_no_url_pattern_captures_a_protected_field() -> None:
    """Other apps: this test walks every pattern, yours included; nothing to add."""
    found = [p for p in protected_url_parameters() if p not in REVIEWED_EXCEPTIONS]
    assert found == [], "rename these URL parameters: a URL must never carry protected data"


def test_reviewed_exceptions_still_exist() -> None:
    """An exception whose pattern changed or went away must leave the list."""
    assert set(REVIEWED_EXCEPTIONS) <= set(protected_url_parameters())


def test_no_api_operation_takes_a_protected_field_in_its_path_or_query() -> None:
    assert protected_openapi_parameters(api.get_openapi_schema()) == []


def test_the_check_catches_protected_parameters_at_any_depth() -> None:
    entries = url_entries("tests.security.urls_bad")
    assert sorted(protected_url_parameters(entries)) == [
        ("^people/(?P<dateOfBirth>[0-9-]+)/$", "dateOfBirth"),
        ("clients/<str:a_number>/", "a_number"),
        ("orgs/<slug:client_name>/<str:phone>/", "client_name"),  # from the enclosing include
        ("orgs/<slug:client_name>/<str:phone>/", "phone"),
    ]
    names = {e.name for e in entries}
    assert {"by-a-number", "by-dob", "bad:by-phone", "fine"} <= names


def test_the_openapi_check_catches_query_and_path_parameters() -> None:
    schema = {
        "paths": {
            "/api/v1/clients": {"get": {"parameters": [{"in": "query", "name": "email"}]}},
            "/api/v1/clients/{a_number}": {
                "get": {"parameters": [{"in": "path", "name": "a_number"}]}
            },
            "/api/v1/cases/{case_id}": {"get": {"parameters": [{"in": "path", "name": "case_id"}]}},
        }
    }
    assert protected_openapi_parameters(schema) == [
        ("GET /api/v1/clients", "query", "email"),
        ("GET /api/v1/clients/{a_number}", "path", "a_number"),
    ]


@pytest.mark.parametrize(
    "name",
    [
        "name",
        "client_name",
        "first_name",
        "lastName",
        "a_number",
        "aNumber",
        "anumber",
        "alien_number",
        "phone",
        "phone_number",
        "email",
        "e_mail_address",
        "dob",
        "date_of_birth",
        "dateOfBirth",
        "address",
    ],
)
def test_protected_names(name: str) -> None:
    assert is_protected_parameter(name)


@pytest.mark.parametrize(
    "name",
    ["slug", "pk", "case_id", "note_id", "token_id", "key", "uidb36", "object_id", "code", "org"],
)
def test_ordinary_names(name: str) -> None:
    assert not is_protected_parameter(name)
