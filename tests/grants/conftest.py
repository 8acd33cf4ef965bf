from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from amparo.accounts.roles import Role
from amparo.grants.models import RoundStatus
from tests.factories import OrganizationFactory, appropriation_post, grant_application
from tests.factories import open_round as round_open


@pytest.fixture
def admin(make_user: Any) -> Any:
    return make_user(Role.FUND_ADMIN)


def fund(restriction: Any, amount: int, ref: str = "CITY-1") -> None:
    appropriation_post(
        restriction,
        amount,
        on=timezone.localdate() - datetime.timedelta(days=3),
        source_ref=ref,
    )


@pytest.fixture
def grantee(make_user: Any) -> tuple[Any, Any]:
    organization = OrganizationFactory()
    return organization, make_user(Role.PROVIDER_ADMIN, org=organization)


@pytest.fixture
def open_round(admin: Any, city: Any) -> Any:
    return round_open(city, by=admin)


@pytest.fixture
def application(open_round: Any, grantee: tuple[Any, Any]) -> Any:
    organization, user = grantee
    return grant_application(open_round, organization, by=user)


def in_review(grant_round: Any) -> None:
    grant_round.status = RoundStatus.IN_REVIEW
    grant_round.save()
