"""Every staff page that shows money writes it through the one CLDR formatter: no raw cents and
no unseparated thousands (``$21000``, ``$15960``), in English and in Spanish."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from amparo.accounts.roles import Role
from amparo.core.services import SYSTEM
from amparo.donations.services import appropriation_create, appropriation_receive, gift_record
from amparo.grants.models import RoundStatus
from amparo.grants.services import application_save, award_decide, round_create
from amparo.intake.models import PovertyGuideline
from amparo.ledger.models import RestrictionKind
from amparo.ledger.services import restriction_ensure
from tests.clock import frozen
from tests.factories import OrganizationFactory

pytestmark = [pytest.mark.django_db, frozen]

#: A dollar sign before four or more digits in a row, or four digits in a row before one.
RAW_MONEY = re.compile(r"\$\s?\d{4,}|\d{4,}(?:[.,]\d+)?\s?(?:US)?\$")


@pytest.fixture
def books(make_user: Any, policy: Any) -> dict[str, Any]:
    """A funded restriction, a gift, public money, a round with an application and an award,
    and an unconfirmed poverty table: something to show on every page with money."""
    admin = make_user(Role.FUND_ADMIN)
    today = timezone.localdate()
    city = restriction_ensure(
        slug="city-detained",
        name="City: detained removal defense",
        kind=RestrictionKind.PUBLIC,
        grant_categories=["detained_removal"],
        by=SYSTEM,
    )
    appropriation = appropriation_create(
        name="City appropriation 2026",
        funder="City council",
        restriction=city,
        amount=25_000_000,
        currency="USD",
        period_start=today - datetime.timedelta(days=30),
        period_end=today + datetime.timedelta(days=300),
        by=admin,
    )
    appropriation_receive(
        appropriation=appropriation,
        amount=15_000_000,
        currency="USD",
        received_on=today - datetime.timedelta(days=2),
        reference="CITY-1",
        by=admin,
    )
    gift = gift_record(
        amount=1_234_567, currency="USD", received_on=today, reference="G-1", by=admin
    )
    grant_round = round_create(
        name="Detained defense 2026",
        budget=10_000_000,
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=10),
        restriction=city,
        categories=["detained_removal"],
        by=admin,
    )
    grant_round.status = RoundStatus.OPEN
    grant_round.save()
    organization = OrganizationFactory()
    grantee = make_user(Role.PROVIDER_ADMIN, org=organization)
    application = application_save(
        grant_round=grant_round,
        organization=organization,
        category="detained_removal",
        narrative="We represent detained people at the local facility.",
        budget_lines=[("Two attorneys", 6_000_000), ("Interpreters", 1_000_000)],
        by=grantee,
    )
    grant_round.status = RoundStatus.IN_REVIEW
    grant_round.save()
    award = award_decide(application=application, amount=5_000_000, by=admin)
    table = PovertyGuideline.objects.create(
        year=2029, region="contiguous", first_person=21_000, additional_person=5_680
    )
    return {
        "admin": admin,
        "gift": gift,
        "appropriation": appropriation,
        "round": grant_round,
        "application": application,
        "award": award,
        "table": table,
    }


def _pages(books: dict[str, Any]) -> dict[str, str]:
    """Staff pages and a figure each must show, as ``en`` writes it."""
    return {
        "/donations/": "$12,345.67",
        "/donations/appropriations/": "$250,000.00",
        f"/donations/appropriations/{books['appropriation'].pk}/": "$150,000.00",
        "/grants/": "$100,000.00",
        f"/grants/rounds/{books['round'].pk}/": "$70,000.00",
        f"/grants/rounds/{books['round'].pk}/summary/": "$100,000.00",
        f"/grants/applications/{books['application'].pk}/": "$60,000.00",
        f"/grants/awards/{books['award'].pk}/": "$50,000.00",
        "/ledger/": "$12,345.67",
        "/ledger/activities/": "$150,000.00",
        "/ledger/trial-balance/": "$162,345.67",
        "/reports/funder/": "$50,000.00",
        "/transparency/": "$150,000.00",
        "/intake/eligibility/": "$21,000",
        f"/intake/poverty/{books['table'].pk}/confirm/": "$21,000",
    }


@pytest.mark.parametrize("language", ["en", "es"])
def test_money_on_staff_pages_is_grouped_and_in_the_readers_locale(
    books: dict[str, Any], client_for: Any, language: str
) -> None:
    client: Client = client_for(books["admin"])
    for url, figure in _pages(books).items():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert figure in page, (url, language)  # es_US writes US dollars as English does
        assert not RAW_MONEY.findall(page), (url, language, RAW_MONEY.findall(page))


def test_the_scan_catches_what_the_old_pages_showed() -> None:
    assert RAW_MONEY.findall("For one person: $15960 (48 states). Income > $21000")
    assert RAW_MONEY.findall("Total 14000,00 $")
    assert not RAW_MONEY.findall("$21,000 and $1,234.56 and 2026 and $5.00")


def test_a_help_requests_income_is_grouped(make_user: Any, client_for: Any, submit: Any) -> None:
    submission = submit(income_low=21_000, income_high=35_000)
    client = client_for(make_user(Role.INTAKE_WORKER))
    for language in ("en", "es"):
        page = client.get(
            f"/intake/requests/{submission.help_request.pk}/", HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
        assert "$21,000 – $35,000" in page
        assert not RAW_MONEY.findall(page)
