"""Removing a client's data on request: who may, what it refuses, what is left in the raw
database afterwards, what the pages show, and the operator's command."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.cases.models import Case, Hearing
from amparo.cases.models import Client as CaseClient
from amparo.cases.services import case_client_shred
from amparo.core.services import SYSTEM, ServiceError
from amparo.vault.models import Subject
from tests.clock import FROZEN_TODAY, frozen
from tests.support.raw_database import found_in_raw_database

pytestmark = [pytest.mark.django_db, frozen]

PERSON = {
    "name": "Rosa Elena Martínez Quintanilla",
    "a_number": "A-098-765-432",
    "phone": "(720) 555-0142",
    "email": "rosa.quintanilla@example.org",
}
REMOVED_EN = "[removed on request]"
REMOVED_ES = "[eliminado a petición]"


@pytest.fixture
def setup(
    org: Any, attorney_of: Callable[..., Any], open_case: Callable[..., Case]
) -> dict[str, Any]:
    lead = attorney_of(org)
    case = open_case(org, lead, client=PERSON, next_hearing=FROZEN_TODAY.replace(month=9))
    return {"lead": lead, "case": case, "org": org}


def _shredded(case: Case) -> bool:
    return Subject.objects.get(pk=case.subject_id).shredded_at is not None


def _search_terms(case: Case) -> list[str]:
    """The person's values as typed and as stored in the clear nowhere, plus the blind index
    digests that do sit in the raw database until the shredding (the part that could fail)."""
    client = CaseClient.objects.get(pk=case.client_id)
    digests = [client.name_index, client.a_number_index, client.phone_index]
    assert all(digests)
    return [*PERSON.values(), "098765432", *digests]


def test_the_lead_attorney_removes_the_client_and_the_raw_database_keeps_nothing_of_them(
    setup: dict[str, Any], org: Any
) -> None:
    case, lead = setup["case"], setup["lead"]
    terms = _search_terms(case)
    assert found_in_raw_database(*terms) != [], "the blind indexes are there before"
    assert found_in_raw_database(org.name) == [org.name], "the search must work"
    hearings = Hearing.objects.filter(case=case).count()

    case_client_shred(case=case, by=lead, reason="The client asked in writing.")

    assert found_in_raw_database(*terms) == []
    assert _shredded(case) and Subject.objects.get(pk=case.subject_id).wrapped_key is None
    assert Case.objects.get(pk=case.pk).reference == case.reference
    assert Hearing.objects.filter(case=case).count() == hearings == 1
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"cases.client.shredded", "vault.subject.shredded"} <= actions
    event = AuditEvent.objects.filter(action="cases.client.shredded").get()
    assert event.actor_id == lead.pk and event.reason == "The client asked in writing."


@pytest.mark.parametrize("who", ["team_attorney", "fund_admin", "other_org_admin"])
def test_people_who_do_not_answer_for_the_client_are_refused_and_nothing_changes(
    who: str,
    setup: dict[str, Any],
    make_user: Callable[..., Any],
    attorney_of: Callable[..., Any],
    other_org: Any,
) -> None:
    from amparo.cases.services import team_add

    case = setup["case"]
    if who == "team_attorney":
        actor = attorney_of(setup["org"])
        team_add(case=case, user=actor, role="attorney", by=setup["lead"])
    elif who == "fund_admin":
        actor = make_user(Role.FUND_ADMIN)
    else:
        actor = make_user(Role.PROVIDER_ADMIN, org=other_org)
    with pytest.raises(PermissionDenied):
        case_client_shred(case=case, by=actor, reason="asked")
    assert not _shredded(case)
    assert CaseClient.objects.get(pk=case.client_id).name == PERSON["name"]


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_blank_reason_is_refused_and_destroys_nothing(reason: str, setup: dict[str, Any]) -> None:
    case = setup["case"]
    with pytest.raises(ServiceError) as refused:
        case_client_shred(case=case, by=setup["lead"], reason=reason)
    assert "reason" in refused.value.message_dict
    assert not _shredded(case) and not AuditEvent.objects.filter(action__contains="shred").exists()


def test_removing_twice_is_refused_with_a_clear_message(setup: dict[str, Any]) -> None:
    case = setup["case"]
    case_client_shred(case=case, by=SYSTEM, reason="asked by letter")
    with pytest.raises(ServiceError) as refused:
        case_client_shred(case=Case.objects.get(pk=case.pk), by=SYSTEM, reason="again")
    assert "already removed" in " ".join(refused.value.messages)
    assert AuditEvent.objects.filter(action="cases.client.shredded").count() == 1


def test_the_provider_admin_removes_through_the_pages_and_a_blank_reason_changes_nothing(
    setup: dict[str, Any], admin_of: Callable[..., Any], client_for: Callable[..., Client]
) -> None:
    case = setup["case"]
    browser = client_for(admin_of(setup["org"]))
    page = browser.get(reverse("cases:detail", args=[case.pk])).content.decode()
    url = reverse("cases:client-remove", args=[case.pk])
    assert url in page and "Remove on request" in page

    confirm = browser.get(url).content.decode()
    assert "What will be destroyed" in confirm and "What stays" in confirm

    for body in ({"reason": "  "}, {}):
        blank = browser.post(url, body)
        assert blank.status_code == 400
        assert "Say why the data is removed." in blank.content.decode()
    assert not _shredded(case)

    done = browser.post(url, {"reason": "Asked in person at the office."}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("cases:detail", args=[case.pk])
    body = done.content.decode()
    assert _shredded(case)
    assert "The client&#x27;s data was removed" in body
    assert REMOVED_EN in body and PERSON["name"] not in body and url not in body


def test_after_removal_every_page_that_named_the_client_says_so_in_both_languages(
    setup: dict[str, Any], admin_of: Callable[..., Any], client_for: Callable[..., Client]
) -> None:
    case, lead = setup["case"], setup["lead"]
    browser = client_for(lead)
    before = browser.get(reverse("cases:list")).content.decode()
    assert PERSON["name"] in before
    case_client_shred(case=case, by=lead, reason="asked")

    for url in (reverse("cases:detail", args=[case.pk]), reverse("cases:list")):
        english = browser.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert english.status_code == 200 and REMOVED_EN in english.content.decode()
        spanish = browser.get(url, HTTP_ACCEPT_LANGUAGE="es")
        assert spanish.status_code == 200 and REMOVED_ES in spanish.content.decode()
    # The case is read-only now: its pages that would write under the destroyed key are gone.
    assert browser.get(reverse("cases:client", args=[case.pk])).status_code == 404
    assert browser.get(reverse("cases:edit", args=[case.pk])).status_code == 404


def test_the_command_removes_by_reference_and_refuses_a_missing_case_or_a_blank_reason(
    setup: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    case = setup["case"]
    with pytest.raises(CommandError, match="No case C-1999-XXXXX"):
        call_command("shred", "--case", "C-1999-XXXXX", "--reason", "asked")
    with pytest.raises(CommandError, match=r"Say why the data is removed\."):
        call_command("shred", "--case", case.reference, "--reason", " ")
    assert not _shredded(case)

    call_command("shred", "--case", case.reference, "--reason", "Letter of 12 May")
    assert _shredded(case)
    assert f"Case {case.reference}: the client's data was removed" in capsys.readouterr().out
    event = AuditEvent.objects.get(action="cases.client.shredded")
    assert event.actor_id is None and event.reason == "Letter of 12 May"
