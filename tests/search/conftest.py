"""Fixtures: a help request and a case of known people, and one user of each role."""

from __future__ import annotations

import datetime
from typing import Any, cast

import pytest

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.cases.models import Case
from amparo.cases.services import case_open
from amparo.vault.services import subject_create
from tests.factories import AttorneyProfileFactory, OrganizationFactory
from tests.intake.helpers import *  # noqa: F403


@pytest.fixture
def people(db: Any, submit: Any, make_user: Any) -> dict[str, Any]:
    """Sofía's help request, Tomás's case at ``org``, Ana's case at another organization, and
    a user of each role."""
    org = OrganizationFactory()  # type: ignore[no-untyped-call]
    other = OrganizationFactory()  # type: ignore[no-untyped-call]
    attorney = make_user(Role.ATTORNEY, org=org)
    AttorneyProfileFactory(user=attorney, organization=org)  # type: ignore[no-untyped-call]
    stranger = make_user(Role.ATTORNEY, org=other)
    AttorneyProfileFactory(user=stranger, organization=other)  # type: ignore[no-untyped-call]
    request = submit(
        name="Sofía Mejía Valadez",
        a_number="A201555123",
        phone="+1 303 555 0142",
        email="sofia.mejia@example.org",
    ).help_request

    def _case(organization: Any, lead: User, name: str, a_number: str, email: str) -> Case:
        return case_open(
            organization=organization,
            lead_attorney=lead,
            subject=subject_create(kind="client"),
            client={
                "name": name,
                "a_number": a_number,
                "phone": "(720) 555-0199",
                "email": email,
                "date_of_birth": datetime.date(1990, 4, 1),
                "country_of_birth": "Honduras",
            },
            by=lead,
            custody="never_detained",
            court="Denver Immigration Court",
        )

    return {
        "request": request,
        "case": _case(org, attorney, "Tomás Núñez O'Brien", "A087654321", "tomas@example.org"),
        "other_case": _case(other, stranger, "Ana Mejía Ruiz", "A099887766", "ana@example.org"),
        "intake": make_user(Role.INTAKE_WORKER),
        "fund_admin": make_user(Role.FUND_ADMIN),
        "attorney": attorney,
        "stranger": stranger,
        "provider_admin": make_user(Role.PROVIDER_ADMIN, org=org),
        "board": make_user(Role.BOARD_MEMBER),
        "donor": make_user(Role.DONOR, mfa=False),
        "org": org,
    }


def found(results: list[Any]) -> set[str]:
    return {r.reference for r in results}


def user_of(people: dict[str, Any], role: str) -> User:
    return cast(User, people[role])
