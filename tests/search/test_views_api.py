"""The search page and ``GET /api/v1/search``: same answers, same rules, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from amparo.accounts.services import api_token_create
from amparo.audit.models import AuditEvent
from tests.clock import frozen

pytestmark = [pytest.mark.django_db, frozen]


def api_get(user: Any, query: str | None) -> Any:
    _token, raw = api_token_create(user=user, name="test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client.get("/api/v1/search", {} if query is None else {"q": query})


def test_the_api_answers_the_contract_shape(people: dict[str, Any]):
    response = api_get(people["intake"], "A 201-555-123")
    assert response.status_code == 200
    request = people["request"]
    assert response.json() == {
        "results": [
            {
                "kind": "help_request",
                "id": str(request.pk),
                "reference": request.reference,
                "label": response.json()["results"][0]["label"],
                "url": f"/intake/requests/{request.pk}/",
            }
        ]
    }
    assert response.json()["results"][0]["label"].startswith("Sofía Mejía Valadez")


def test_the_api_finds_an_attorneys_case_by_a_surname(people: dict[str, Any]):
    data = api_get(people["attorney"], "nuñez").json()
    assert [(r["kind"], r["reference"]) for r in data["results"]] == [
        ("case", people["case"].reference)
    ]


@pytest.mark.parametrize("query", [None, "", "sofia@", "H-1"])
def test_the_api_refuses_bad_queries_with_the_one_error_shape(people: dict[str, Any], query: Any):
    response = api_get(people["intake"], query)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] and body["errors"][0]["field"] == "q"


@pytest.mark.parametrize("role", ["board", "donor"])
def test_the_api_answers_404_to_the_board_and_donors(people: dict[str, Any], role: str):
    assert api_get(people[role], "Mejía").status_code == 404


def test_the_page_shows_results_as_links(people: dict[str, Any], client_for: Any):
    response = client_for(people["intake"]).get("/search/", {"q": "201555123"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/intake/requests/{people["request"].pk}/"' in html
    assert "Sofía Mejía Valadez" in html


def test_the_page_says_what_it_expected_in_spanish(people: dict[str, Any], client_for: Any):
    before = AuditEvent.objects.filter(action="search").count()
    with translation.override("es"):
        response = client_for(people["intake"]).get(
            "/search/", {"q": "sofia@"}, HTTP_ACCEPT_LANGUAGE="es"
        )
    assert response.status_code == 200
    assert "Esto no es una dirección de correo electrónico." in response.content.decode()
    assert AuditEvent.objects.filter(action="search").count() == before


def test_the_header_box_shows_for_staff_who_search_only(people: dict[str, Any], client_for: Any):
    page = client_for(people["attorney"]).get("/dashboard/").content.decode()
    assert 'role="search"' in page and 'action="/search/"' in page
    board_page = client_for(people["board"]).get("/dashboard/").content.decode()
    assert 'action="/search/"' not in board_page
    assert client_for(people["board"]).get("/search/", {"q": "Mejía"}).status_code == 404


def test_nothing_found_says_so(people: dict[str, Any], client_for: Any):
    html = client_for(people["intake"]).get("/search/", {"q": "Zapata"}).content.decode()
    assert "Nothing found that you may open." in html


def test_a_common_word_shows_at_most_the_limit_and_says_how_to_narrow(
    people: dict[str, Any], client_for: Any, submit: Any
):
    from amparo.search.selectors import LIMIT

    for _ in range(LIMIT + 2):
        submit(name="Rosa García López")
    html = client_for(people["intake"]).get("/search/", {"q": "garcia"}).content.decode()
    assert html.count('href="/intake/requests/') == LIMIT
    assert "add a word or search for a number" in html
    few = client_for(people["intake"]).get("/search/", {"q": "Valadez"}).content.decode()
    assert "add a word or search for a number" not in few
