"""The contract other apps rely on: case_open, the models and the selectors they call."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from amparo.audit.models import AuditEvent
from amparo.cases.models import Case, CaseAssignment, Client
from amparo.cases.selectors import (
    access_case,
    active_case_count,
    case_list,
    clients_of_organization,
)
from amparo.cases.services import case_open
from amparo.vault.blind import matching
from amparo.vault.services import subject_create

pytestmark = pytest.mark.django_db


def test_case_open_encrypts_the_client_under_the_given_subject_and_audits(
    org: Any, attorney_of: Callable[..., Any], admin_of: Callable[..., Any]
) -> None:
    lead = attorney_of(org)
    admin = admin_of(org)
    subject = subject_create(kind="client")
    case = case_open(
        organization=org,
        lead_attorney=lead,
        subject=subject,
        client={
            "name": "Rosa Elena Martínez",
            "a_number": "A-012-345-678",
            "phone": "303 555 0142",
        },
        custody="detained",
        facility="Aurora Contract Detention Facility",
        court="Aurora Immigration Court",
        next_hearing=datetime.date(2026, 7, 15),
        referral_id=41,
        by=admin,
    )
    case = Case.objects.get(pk=case.pk)
    assert case.client.subject_id == subject.pk == case.subject_id
    assert case.client.name == "Rosa Elena Martínez"
    assert case.facility == "Aurora Contract Detention Facility"
    assert case.lead_attorney == lead
    assert CaseAssignment.objects.filter(case=case, user=lead, is_active=True).exists()
    assert case.hearings.get().date == datetime.date(2026, 7, 15)
    # Stored encrypted: the plaintext is nowhere in the row.
    raw = Client.objects.filter(pk=case.client_id).values_list("name", flat=True).get()
    assert b"Rosa" not in bytes(raw)
    # Blind indexes find the client for conflict checks, whatever the spelling.
    found = clients_of_organization(organization=org).filter(
        matching(Client, "a_number_index", "a012345678")
    )
    assert list(found) == [case.client]
    assert AuditEvent.objects.filter(action="case.opened", object_id=str(case.pk)).exists()
    # Retrying the same referral returns the same case.
    again = case_open(
        organization=org,
        lead_attorney=lead,
        subject=subject,
        client={"name": "Rosa Elena Martínez"},
        custody="detained",
        referral_id=41,
        by=admin,
    )
    assert again.pk == case.pk
    assert Case.objects.count() == 1


def test_case_open_refuses_bad_values_and_changes_nothing(
    org: Any, other_org: Any, attorney_of: Callable[..., Any]
) -> None:
    outsider = attorney_of(other_org)
    member = attorney_of(org)
    with pytest.raises(ValidationError) as err:
        case_open(
            organization=org,
            lead_attorney=outsider,
            subject=subject_create(kind="client"),
            client={"name": "", "a_number": "12"},
            custody="sometimes",
            by=member,  # the permission is checked first: a member, refused for the values
        )
    assert {"name", "custody", "lead_attorney"} <= set(err.value.message_dict)
    with pytest.raises(ValidationError) as err:
        case_open(
            organization=org,
            lead_attorney=None,
            subject=subject_create(kind="client"),
            client={"name": "Ana Pérez", "a_number": "12"},
            custody="detained",
            by=member,
        )
    assert "a_number" in err.value.message_dict
    # Someone outside the organization cannot open its cases at all.
    with pytest.raises(PermissionDenied):
        case_open(
            organization=org,
            lead_attorney=None,
            subject=subject_create(kind="client"),
            client={"name": "Ana Pérez"},
            custody="detained",
            by=outsider,
        )
    assert Case.objects.count() == 0 and Client.objects.count() == 0


def test_selectors_scope_cases_to_the_viewer(
    org: Any,
    other_org: Any,
    attorney_of: Callable[..., Any],
    admin_of: Callable[..., Any],
    open_case: Callable[..., Case],
) -> None:
    lead = attorney_of(org)
    colleague = attorney_of(org)
    stranger = attorney_of(other_org)
    case = open_case(org, lead)
    assert list(case_list(fetched_by=lead)) == [case]
    assert access_case(lead, case.pk) == case
    assert access_case(admin_of(org), str(case.pk)) == case
    for user in (colleague, stranger):
        with pytest.raises(Http404):
            access_case(user, case.pk)
    with pytest.raises(Http404):
        access_case(lead, "not-a-uuid")
    assert active_case_count(attorney=lead) == 1
    assert active_case_count(attorney=colleague) == 0
