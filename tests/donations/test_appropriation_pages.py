"""Staff pages for public money: a new appropriation, a payment received, and what is refused."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from faker import Faker

from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.donations.models import Appropriation, AppropriationPayment
from amparo.donations.services import appropriation_create
from amparo.ledger.models import AccountBalance, JournalEntry, Posting, Restriction, RestrictionKind
from amparo.ledger.selectors import restriction_balances
from amparo.ledger.verify import ledger_verify
from tests.clock import FROZEN_TODAY, frozen

pytestmark = [pytest.mark.django_db, frozen]
fake = Faker(["en_US", "es_MX"])
fake.seed_instance(6)

NEW = "/donations/appropriations/new/"


def _day(n: int) -> datetime.date:
    return FROZEN_TODAY - datetime.timedelta(days=n)  # also used in parametrize, before the freeze


def _counts() -> tuple[int, ...]:
    """Every row a refused request must leave alone."""
    return (
        Appropriation.objects.count(),
        AppropriationPayment.objects.count(),
        JournalEntry.objects.count(),
        Posting.objects.count(),
        Restriction.objects.count(),
        AuditEvent.objects.filter(action__startswith="donations.appropriation").count(),
        sum(AccountBalance.objects.values_list("amount", flat=True)),
        len(AccountBalance.objects.exclude(amount=0)),
    )


@pytest.fixture
def admin(treasurer: Any, client_for: Any) -> Any:
    return client_for(treasurer)


@pytest.fixture
def board(make_user: Any, client_for: Any) -> Any:
    return client_for(make_user(Role.BOARD_MEMBER))


@pytest.fixture
def appropriation(treasurer: Any, city: Restriction) -> Appropriation:
    return appropriation_create(
        name="City appropriation FY",
        funder=fake.company(),
        restriction=city,
        amount=1_000_000,
        currency="USD",
        period_start=_day(200),
        period_end=_day(200) + datetime.timedelta(days=364),
        by=treasurer,
    )


def _create_data(city: Restriction, **changes: Any) -> dict[str, Any]:
    data = {
        "name": "County public defense appropriation",
        "funder": fake.company(),
        "restriction": str(city.pk),
        "new_restriction": "",
        "amount": "250,000.50",
        "currency": "USD",
        "period_start": _day(30).isoformat(),
        "period_end": (_day(30) + datetime.timedelta(days=364)).isoformat(),
        "reporting": "quarterly",
    }
    data.update(changes)
    return data


def _receive_url(appropriation: Appropriation) -> str:
    return reverse("donations:appropriation-receive", args=[appropriation.pk])


def _pay_data(**changes: Any) -> dict[str, Any]:
    data = {
        "amount": "6000",
        "currency": "USD",
        "received_on": _day(100).isoformat(),
        "reference": "CITY-PAY-1",
    }
    data.update(changes)
    return data


# --- Creating -----------------------------------------------------------------------------------


def test_fund_admin_creates_an_appropriation_through_the_page(
    admin: Any, treasurer: Any, city: Restriction
) -> None:
    form = admin.get(NEW)
    assert form.status_code == 200
    page = form.content.decode()
    assert city.name in page and 'name="period_start"' in page
    before_entries = JournalEntry.objects.count()
    response = admin.post(NEW, _create_data(city))
    appropriation = Appropriation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("donations:appropriation", args=[appropriation.pk])
    assert (appropriation.amount, appropriation.currency, appropriation.restriction) == (
        25_000_050,
        "USD",
        city,
    )
    assert appropriation.reporting == "quarterly"
    assert appropriation.period_start == _day(30)
    # Nothing reaches the books until a payment arrives.
    assert JournalEntry.objects.count() == before_entries
    assert AuditEvent.objects.filter(action="donations.appropriation_created").count() == 1
    detail = admin.get(response["Location"]).content.decode()
    assert "$250,000.50" in detail and _receive_url(appropriation) in detail
    listing = admin.get("/donations/appropriations/").content.decode()
    assert NEW in listing and _receive_url(appropriation) in listing


def test_a_new_public_restriction_can_be_named_on_the_page(admin: Any, city: Restriction) -> None:
    response = admin.post(
        NEW, _create_data(city, restriction="", new_restriction="Detained bond hearings")
    )
    assert response.status_code == 302
    made = Restriction.objects.get(slug="detained-bond-hearings")
    assert (made.kind, made.name) == (RestrictionKind.PUBLIC, "Detained bond hearings")
    assert Appropriation.objects.get().restriction == made


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": "0"}, "amount", "Enter an amount more than zero."),
        ({"amount": "0.00"}, "amount", "Enter an amount more than zero."),
        ({"amount": "-5"}, "amount", "Enter an amount more than zero."),
        ({"amount": "10.999"}, "amount", "USD has at most 2 decimals."),
        ({"amount": "ten"}, "amount", "Enter an amount of money, for example 50 or 25.50."),
        ({"amount": "9" * 19}, "amount", "at most 18 characters"),
        ({"amount": ""}, "amount", "This field is required."),
        ({"currency": "XXX"}, "currency", "Select a valid choice."),
        ({"name": "   "}, "name", "This field is required."),
        ({"funder": ""}, "funder", "This field is required."),
        ({"period_start": "2026-02-30"}, "period_start", "Enter a valid date."),
        (
            {"period_end": _day(31).isoformat()},
            "period_end",
            "The period must end on or after it starts.",
        ),
        ({"reporting": "weekly"}, "reporting", "Select a valid choice."),
        ({"restriction": "999999"}, "restriction", "Select a valid choice."),
        (
            {"restriction": ""},
            "restriction",
            "Choose a restriction, or name a new public one.",
        ),
        (
            {"new_restriction": "Something else"},
            "new_restriction",
            "Choose a restriction or name a new one, not both.",
        ),
        (
            {"restriction": "", "new_restriction": "City: detained removal defense"},
            "new_restriction",
            "There is already a restriction named like this",
        ),
        ({"restriction": "", "new_restriction": "!!!"}, "new_restriction", "letters or digits"),
    ],
)
def test_bad_input_on_the_new_page_changes_nothing(
    admin: Any, city: Restriction, changes: dict[str, Any], field: str, message: str
) -> None:
    before = _counts()
    response = admin.post(NEW, _create_data(city, **changes))
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    # The message is beside its field and in the summary, which links to the field.
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page and f'href="#id_{field}"' in page
    assert _counts() == before


def test_refusals_are_in_spanish_for_a_spanish_speaker(admin: Any, city: Restriction) -> None:
    response = admin.post(NEW, _create_data(city, amount="10,9999"), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    assert "USD admite como máximo 2 decimales." in response.content.decode()
    response = admin.post(
        NEW, _create_data(city, period_end=_day(31).isoformat()), HTTP_ACCEPT_LANGUAGE="es"
    )
    assert "El período debe terminar" in response.content.decode()
    assert not Appropriation.objects.exists()


# --- Receiving ----------------------------------------------------------------------------------


def test_fund_admin_records_a_payment_through_the_page(
    admin: Any, appropriation: Appropriation
) -> None:
    url = _receive_url(appropriation)
    page = admin.get(url)
    assert page.status_code == 200 and "$10,000.00" in page.content.decode()
    response = admin.post(url, _pay_data(amount="6,000.25"))
    assert response.status_code == 302
    assert response["Location"] == reverse("donations:appropriation", args=[appropriation.pk])
    payment = AppropriationPayment.objects.get()
    assert (payment.amount, payment.reference, payment.received_on) == (
        600_025,
        "CITY-PAY-1",
        _day(100),
    )
    postings = sorted(payment.entry.postings.values_list("amount", "restriction__slug"))
    assert postings == [(-600_025, "city-detained"), (600_025, "city-detained")]
    assert [(r.slug, a) for r, _c, a in restriction_balances()] == [("city-detained", 600_025)]
    assert ledger_verify().balanced
    detail = admin.get(response["Location"]).content.decode()
    assert "CITY-PAY-1" in detail and "$6,000.25" in detail and "$3,999.75" in detail
    assert "Payment CITY-PAY-1 of $6,000.25 recorded." in detail


def test_every_refused_payment_changes_nothing(
    admin: Any, appropriation: Appropriation, settings: Any
) -> None:
    settings.AMPARO = {**settings.AMPARO, "CURRENCIES": ("USD", "EUR")}
    url = _receive_url(appropriation)
    assert admin.post(url, _pay_data(amount="6000")).status_code == 302
    start, end = appropriation.period_start, appropriation.period_end
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"amount": "4000.01"}, "amount", "more than what is left"),
        ({"amount": "0"}, "amount", "more than zero"),
        ({"amount": "-1"}, "amount", "more than zero"),
        ({"amount": "1.001"}, "amount", "at most 2 decimals"),
        ({"amount": "1,0.0.0"}, "amount", "Enter an amount of money"),
        (
            {"received_on": (start - datetime.timedelta(days=1)).isoformat()},
            "received_on",
            "outside the appropriation's period",
        ),
        (
            {"received_on": (end + datetime.timedelta(days=1)).isoformat()},
            "received_on",
            "outside the appropriation's period",
        ),
        ({"received_on": "yesterday"}, "received_on", "Enter a valid date."),
        ({"currency": "EUR"}, "currency", "This appropriation is in USD."),
        ({"currency": "JPY"}, "currency", "Select a valid choice."),
        ({"reference": "CITY-PAY-1"}, "reference", "This payment was already recorded."),
        ({"reference": " CITY-PAY-1 "}, "reference", "This payment was already recorded."),
        ({"reference": "   "}, "reference", "This field is required."),
        ({"reference": "R" * 101}, "reference", "at most 100 characters"),
    ]
    for changes, field, message in cases:
        before = _counts()
        response = admin.post(url, _pay_data(**{"reference": "CITY-PAY-2", **changes}))
        assert response.status_code == 400, changes
        errors = response.context["form"].errors
        assert any(message in e for e in errors.get(field, [])), (changes, errors)
        assert f'id="id_{field}_error"' in response.content.decode()
        assert _counts() == before, changes
    assert AppropriationPayment.objects.count() == 1
    assert ledger_verify().balanced


def test_a_payment_dated_in_the_future_is_refused(treasurer: Any, admin: Any, city: Any) -> None:
    running = appropriation_create(
        name="Running appropriation",
        funder=fake.company(),
        restriction=city,
        amount=50_000,
        currency="USD",
        period_start=_day(10),
        period_end=_day(-100),
        by=treasurer,
    )
    before = _counts()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = admin.post(_receive_url(running), _pay_data(received_on=tomorrow))
    assert response.status_code == 400
    assert "cannot be received in the future" in response.content.decode()
    assert _counts() == before


def test_a_fully_received_appropriation_offers_no_payment_link(
    admin: Any, appropriation: Appropriation
) -> None:
    url = _receive_url(appropriation)
    assert admin.post(url, _pay_data(amount="10000")).status_code == 302
    detail = admin.get(reverse("donations:appropriation", args=[appropriation.pk]))
    assert url not in detail.content.decode()
    before = _counts()
    response = admin.post(url, _pay_data(amount="0.01", reference="CITY-PAY-2"))
    assert "more than what is left" in response.content.decode()
    assert _counts() == before


# --- Who may ------------------------------------------------------------------------------------


def test_a_board_member_reads_but_cannot_write(
    board: Any, city: Restriction, appropriation: Appropriation
) -> None:
    listing = board.get("/donations/appropriations/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert appropriation.name in page
    assert NEW not in page and _receive_url(appropriation) not in page
    detail = board.get(reverse("donations:appropriation", args=[appropriation.pk]))
    assert detail.status_code == 200 and _receive_url(appropriation) not in detail.content.decode()
    before = _counts()
    assert board.get(NEW).status_code == 404
    assert board.post(NEW, _create_data(city)).status_code == 404
    assert board.get(_receive_url(appropriation)).status_code == 404
    assert board.post(_receive_url(appropriation), _pay_data()).status_code == 404
    assert _counts() == before


@pytest.mark.parametrize("role", [Role.DONOR, Role.INTAKE_WORKER, Role.ATTORNEY])
def test_other_roles_find_nothing(
    role: str, make_user: Any, client_for: Any, city: Restriction, appropriation: Appropriation
) -> None:
    client = client_for(make_user(role))
    before = _counts()
    for url in (
        NEW,
        reverse("donations:appropriation", args=[appropriation.pk]),
        _receive_url(appropriation),
    ):
        assert client.get(url).status_code == 404
    assert client.post(NEW, _create_data(city)).status_code == 404
    assert client.post(_receive_url(appropriation), _pay_data()).status_code == 404
    assert _counts() == before


def test_anonymous_visitors_are_sent_to_sign_in(
    client: Any, city: Restriction, appropriation: Appropriation
) -> None:
    before = _counts()
    response = client.post(_receive_url(appropriation), _pay_data())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(NEW, _create_data(city)).status_code == 302
    assert _counts() == before


def test_a_missing_appropriation_is_not_found(admin: Any) -> None:
    assert admin.get("/donations/appropriations/999999/").status_code == 404
    assert admin.post("/donations/appropriations/999999/receive/", _pay_data()).status_code == 404
