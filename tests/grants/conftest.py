from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from amparo.accounts.roles import Role
from amparo.core.services import SYSTEM
from amparo.grants.models import RoundStatus
from amparo.grants.services import application_save, round_create
from amparo.ledger import chart
from amparo.ledger.models import RestrictionKind
from amparo.ledger.services import PostingSpec, entry_post, restriction_ensure
from tests.factories import OrganizationFactory


@pytest.fixture
def admin(make_user: Any) -> Any:
    return make_user(Role.FUND_ADMIN)


@pytest.fixture
def city(db: Any) -> Any:
    return restriction_ensure(
        slug="city-detained",
        name="City: detained removal defense",
        kind=RestrictionKind.PUBLIC,
        grant_categories=["detained_removal"],
        by=SYSTEM,
    )


def fund(restriction: Any, amount: int, ref: str = "CITY-1") -> None:
    entry_post(
        postings=[
            PostingSpec(chart.CASH, amount, "USD", restriction),
            PostingSpec(chart.PUBLIC_FUNDS, -amount, "USD", restriction),
        ],
        memo="City appropriation",
        effective_date=timezone.localdate() - datetime.timedelta(days=3),
        by=SYSTEM,
        source="appropriation",
        source_ref=ref,
    )


@pytest.fixture
def grantee(make_user: Any) -> tuple[Any, Any]:
    organization = OrganizationFactory()
    return organization, make_user(Role.PROVIDER_ADMIN, org=organization)


@pytest.fixture
def open_round(admin: Any, city: Any) -> Any:
    today = timezone.localdate()
    r = round_create(
        name="Detained defense 2026",
        budget=10_000_000,
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=10),
        restriction=city,
        categories=["detained_removal"],
        by=admin,
    )
    r.status = RoundStatus.OPEN
    r.save()
    return r


@pytest.fixture
def application(open_round: Any, grantee: tuple[Any, Any]) -> Any:
    organization, user = grantee
    return application_save(
        grant_round=open_round,
        organization=organization,
        category="detained_removal",
        narrative="We represent detained people at the local facility.",
        budget_lines=[("Two attorneys", 6_000_000), ("Interpreters", 1_000_000)],
        by=user,
    )


def in_review(grant_round: Any) -> None:
    grant_round.status = RoundStatus.IN_REVIEW
    grant_round.save()
