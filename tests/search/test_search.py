"""Search: each identifier in any format, scoped per role, audited as a digest, bad input
answered with a message."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from amparo.audit.models import AuditEvent
from amparo.core.services import ServiceError
from amparo.search.models import SearchKey
from amparo.search.services import query_digest, search_run
from amparo.vault.services import subject_shred
from tests.clock import frozen
from tests.search.conftest import found

pytestmark = [pytest.mark.django_db, frozen]


@pytest.mark.parametrize(
    "query",
    [
        "A 201-555-123",
        "201555123",
        "a201555123",
        "(303) 555-0142",
        "303.555.0142",
        "+13035550142",
        "SOFIA.MEJIA@example.org",
        "Mejía",
        "mejia",
        "MEJIA valadez",
        "Sofía Mejía Valadez",
        "sofia mejia valadez",
    ],
)
def test_an_intake_worker_finds_the_request_by_any_spelling(people: dict[str, Any], query: str):
    results = search_run(by=people["intake"], query=query)
    assert found(results) == {people["request"].reference}
    assert results[0].kind == "help_request"
    assert results[0].label.startswith("Sofía Mejía Valadez")
    assert results[0].url == f"/intake/requests/{people['request'].pk}/"


def test_the_request_reference_is_found_in_any_case_and_spacing(people: dict[str, Any]):
    ref = people["request"].reference
    for query in (ref, ref.lower(), ref.replace("-", " - ")):
        assert found(search_run(by=people["intake"], query=query)) == {ref}


def test_words_of_two_people_find_neither(people: dict[str, Any]):
    assert search_run(by=people["intake"], query="Sofía Núñez") == []


@pytest.mark.parametrize(
    "query",
    ["Núñez", "nunez", "obrien", "O'Brien", "A-087-654-321", "87654321", "tomas@example.org"],
)
def test_an_attorney_finds_their_organizations_case(people: dict[str, Any], query: str):
    results = search_run(by=people["attorney"], query=query)
    assert found(results) == {people["case"].reference}
    assert results[0].kind == "case" and results[0].label.startswith("Tomás Núñez O'Brien")


def test_an_attorney_never_finds_another_organizations_case(people: dict[str, Any]):
    assert found(search_run(by=people["attorney"], query="Mejía")) == set()
    assert found(search_run(by=people["stranger"], query="Mejía")) == {
        people["other_case"].reference
    }
    assert search_run(by=people["attorney"], query=people["other_case"].reference) == []


def test_the_case_reference_is_found_by_the_organizations_admin(people: dict[str, Any]):
    ref = people["case"].reference
    results = search_run(by=people["provider_admin"], query=ref.lower())
    assert found(results) == {ref}


def test_an_intake_worker_finds_no_case(people: dict[str, Any]):
    assert search_run(by=people["intake"], query="Núñez") == []
    assert search_run(by=people["intake"], query=people["case"].reference) == []


def test_a_fund_admin_finds_by_reference_only_and_sees_no_name(people: dict[str, Any]):
    admin = people["fund_admin"]
    for query in ("Mejía", "A201555123", "sofia.mejia@example.org", "303 555 0142"):
        assert search_run(by=admin, query=query) == []
    results = search_run(by=admin, query=people["request"].reference)
    results += search_run(by=admin, query=people["case"].reference)
    assert found(results) == {people["request"].reference, people["case"].reference}
    assert all("Mejía" not in r.label and "Tomás" not in r.label for r in results)


@pytest.mark.parametrize("role", ["board", "donor"])
def test_the_board_and_donors_may_not_search(people: dict[str, Any], role: str):
    with pytest.raises(PermissionDenied):
        search_run(by=people[role], query=people["request"].reference)


def test_every_search_is_audited_as_a_keyed_digest_never_the_query(people: dict[str, Any]):
    before = AuditEvent.objects.count()
    search_run(by=people["intake"], query="Mejía")
    event = AuditEvent.objects.filter(action="search").latest("seq")
    assert event.actor_id == people["intake"].pk
    assert event.object_id == query_digest("Mejía") and len(event.object_id) == 64
    for row in AuditEvent.objects.filter(seq__gt=before):
        text = f"{row.object_type} {row.object_id} {row.fields} {row.reason}".casefold()
        assert "mej" not in text
    reads = AuditEvent.objects.filter(action="read", object_id=str(people["request"].pk))
    assert reads.filter(seq__gt=before).exists()  # the name shown is an audited read


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Enter a name"),
        ("   ", "Enter a name"),
        ("x" * 201, "at most 200"),
        ("H-12", "H-7KQ3-M2XP"),
        ("C-20-ZZ", "C-2026-7KQ3M"),
        ("sofia@", "not an email"),
        ("Sofía 201555123", "not both"),
        ("!!!", "at least one letter"),
    ],
)
def test_bad_queries_get_a_message_and_no_audit(people: dict[str, Any], query: str, message: str):
    before = AuditEvent.objects.filter(action="search").count()
    with pytest.raises(ServiceError) as refused:
        search_run(by=people["intake"], query=query)
    assert message in " ".join(refused.value.messages)
    assert AuditEvent.objects.filter(action="search").count() == before


def test_a_number_nobody_has_finds_nothing(people: dict[str, Any]):
    assert search_run(by=people["intake"], query="A 999-999-999") == []
    assert search_run(by=people["intake"], query="12") == []


def test_a_renamed_client_is_found_by_the_new_name_only(people: dict[str, Any]):
    client = people["case"].client
    client.name = "Tomás Iturbide"
    client.save()
    assert found(search_run(by=people["attorney"], query="Iturbide")) == {people["case"].reference}
    assert search_run(by=people["attorney"], query="Núñez") == []


def test_shredding_a_person_blanks_their_search_keys(people: dict[str, Any]):
    request = people["request"]
    assert SearchKey.objects.filter(help_request=request).count() == 4  # three words, one email
    subject_shred(subject=request.subject, by=people["fund_admin"], reason="asked")
    assert not SearchKey.objects.filter(help_request=request, token_index__isnull=False).exists()
    assert search_run(by=people["intake"], query="Mejía") == []
