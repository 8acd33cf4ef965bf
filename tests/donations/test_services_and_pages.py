"""Gifts, receipts, public money, the donate flow and the transparency page."""

from __future__ import annotations

import datetime
import itertools
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from faker import Faker

from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.core.services import SYSTEM, ServiceError
from amparo.donations.models import Gift, GiftLocked, Pledge, PledgeStatus
from amparo.donations.receipts import receipt_pdf
from amparo.donations.services import (
    appropriation_create,
    appropriation_receive,
    donor_create,
    gift_record,
    gift_update,
    pledge_paid,
    pledge_start,
    pledges_charge_due,
    receipt_issue,
    reporting_periods,
    year_end_statement_issue,
)
from amparo.ledger.models import AccountBalance, JournalEntry, RestrictionKind
from amparo.ledger.selectors import restriction_balances
from amparo.ledger.services import restriction_ensure
from amparo.ledger.verify import ledger_verify
from tests import pdfread
from tests.clock import FROZEN_TODAY, frozen


def _code(error: ServiceError) -> str:
    """The code of a refusal's one message (beside a field or not)."""
    errors = (
        [e for field in error.error_dict.values() for e in field]
        if hasattr(error, "error_dict")
        else error.error_list
    )
    (only,) = errors
    return str(only.code)


pytestmark = [pytest.mark.django_db, frozen]
fake = Faker(["en_US", "es_MX"])


def _day(n: Any = 10) -> Any:
    return FROZEN_TODAY - datetime.timedelta(days=n)  # also used in parametrize, before the freeze


@pytest.fixture
def donor(treasurer: Any) -> Any:
    return donor_create(name=fake.name(), email=fake.email(), language="es", by=treasurer)


def test_a_receipted_gift_is_locked(treasurer: Any, donor: Any) -> None:
    gift = gift_record(
        amount=10_000,
        currency="USD",
        received_on=_day(),
        reference="G-1",
        donor=donor,
        by=treasurer,
    )
    receipt = receipt_issue(gift=gift, by=treasurer)
    assert receipt.number.startswith(f"R{gift.received_on.year}-")
    with pytest.raises(ServiceError) as info:
        gift_update(gift=gift, donor=None, by=treasurer)
    assert _code(info.value) == "locked"
    gift.refresh_from_db()
    gift.donor = None
    with pytest.raises(GiftLocked):
        gift.save()
    with pytest.raises(ServiceError):
        receipt_issue(gift=gift, by=treasurer)


def test_receipt_pdf_is_in_the_donors_language(treasurer: Any, donor: Any, detained: Any) -> None:
    gift = gift_record(
        amount=123_456,
        currency="USD",
        received_on=_day(),
        reference="G-ES",
        donor=donor,
        designation=detained,
        by=treasurer,
    )
    pdf = receipt_pdf(receipt_issue(gift=gift, by=treasurer))
    assert pdf.startswith(b"%PDF")
    assert b"Recibo fiscal" in pdf
    assert b"$1,234.56" in pdf  # es_US: US dollars written the US way
    assert donor.name.split()[0] in _pdf_strings(pdf)
    assert b"Tax receipt" not in pdf


def _pdf_strings(pdf: bytes) -> str:
    """The text of the PDF's literal strings (ReportLab writes them uncompressed, with octal
    escapes for bytes outside ASCII: "Óscar" is ``(\\323scar)``), as one string."""
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}

    def unescape(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return escapes.get(code, code)

    found = re.findall(rb"\(((?:\\.|[^\\)])*)\)", pdf)
    return " ".join(
        re.sub(rb"\\([0-7]{1,3}|.)", unescape, raw).decode("cp1252", "replace") for raw in found
    )


def test_year_end_statement_lists_the_year_and_locks_its_gifts(treasurer: Any, donor: Any) -> None:
    year = _day(1).year
    day = datetime.date(year, 1, 2) if _day(1) >= datetime.date(year, 1, 2) else _day(1)
    g1 = gift_record(
        amount=1_000, currency="USD", received_on=day, reference="Y-1", donor=donor, by=treasurer
    )
    gift_record(
        amount=2_500, currency="USD", received_on=day, reference="Y-2", donor=donor, by=treasurer
    )
    statement = year_end_statement_issue(donor=donor, year=year, by=treasurer)
    assert statement.total == 3_500
    assert year_end_statement_issue(donor=donor, year=year, by=treasurer) == statement
    assert b"Y-2" in receipt_pdf(statement)
    with pytest.raises(ServiceError):
        gift_update(gift=g1, donor=None, by=treasurer)
    with pytest.raises(ServiceError):
        year_end_statement_issue(donor=donor, year=year - 5, by=treasurer)


@pytest.mark.parametrize(
    ("amount", "currency", "code"),
    [
        (0, "USD", "not_positive"),
        (-5, "USD", "not_positive"),
        (100, "EUR", "currency"),
        (100, "ABC", "currency"),
    ],
)
def test_bad_gifts_are_refused_and_nothing_is_posted(
    treasurer: Any, amount: Any, currency: Any, code: Any
) -> None:
    with pytest.raises(ServiceError) as info:
        gift_record(
            amount=amount, currency=currency, received_on=_day(), reference="X", by=treasurer
        )
    assert _code(info.value) == code
    assert not Gift.objects.exists() and not JournalEntry.objects.exists()


def test_appropriation_posts_restricted_revenue_within_its_period_and_total(treasurer: Any) -> None:
    city = restriction_ensure(
        slug="city-detained",
        name="City: detained removal defense",
        kind=RestrictionKind.PUBLIC,
        grant_categories=["detained_removal"],
        by=SYSTEM,
    )
    start = _day(200)
    appropriation = appropriation_create(
        name="City appropriation",
        funder="City and County",
        restriction=city,
        amount=1_000_000,
        currency="USD",
        period_start=start,
        period_end=start + datetime.timedelta(days=364),
        by=treasurer,
    )
    appropriation_receive(
        appropriation=appropriation,
        amount=600_000,
        currency="USD",
        received_on=_day(100),
        reference="CITY-1",
        by=treasurer,
    )
    before = list(AccountBalance.objects.values_list("amount", flat=True))
    for kwargs, code in (
        ({"amount": 500_000, "reference": "CITY-2"}, "beyond"),
        (
            {
                "amount": 1_000,
                "reference": "CITY-3",
                "received_on": start - datetime.timedelta(days=1),
            },
            "period",
        ),
        ({"amount": 1_000, "reference": "CITY-4", "currency": "EUR"}, "currency"),
        ({"amount": 1_000, "reference": "CITY-1"}, "duplicate"),
        ({"amount": 0, "reference": "CITY-5"}, "not_positive"),
    ):
        args = {"currency": "USD", "received_on": _day(50), **kwargs}
        with pytest.raises(ServiceError) as info:
            appropriation_receive(appropriation=appropriation, by=treasurer, **args)
        assert _code(info.value) == code
    assert list(AccountBalance.objects.values_list("amount", flat=True)) == before
    assert [(r.slug, a) for r, _c, a in restriction_balances()] == [("city-detained", 600_000)]
    periods = reporting_periods(appropriation)
    assert periods[0][0] == start and periods[-1][1] == appropriation.period_end
    assert all(b[0] == a[1] + datetime.timedelta(days=1) for a, b in itertools.pairwise(periods))


def test_recurring_pledge_is_charged_when_due(treasurer: Any, donor: Any) -> None:
    pledge = pledge_start(
        donor=donor,
        amount=2_500,
        currency="USD",
        frequency="monthly",
        designation=None,
        processor="demo",
        by=SYSTEM,
    )
    gift = pledge_paid(pledge=pledge, processor_ref="demo-1", by=SYSTEM)
    assert pledge_paid(pledge=pledge, processor_ref="demo-1", by=SYSTEM) == gift
    pledge.refresh_from_db()
    assert pledge.next_charge_on is not None
    assert pledge.status == PledgeStatus.ACTIVE and pledge.next_charge_on > timezone.localdate()
    assert pledges_charge_due(by=SYSTEM) == []
    assert len(pledges_charge_due(today=pledge.next_charge_on, by=SYSTEM)) == 1
    assert Gift.objects.filter(pledge=pledge).count() == 2
    assert ledger_verify().balanced


def test_visitor_donates_through_the_demo_processor(client: Any, detained: Any) -> None:
    response = client.post("/donate/", {"amount": "-5", "frequency": "once"})
    assert response.status_code == 400
    assert "more than zero" in response.content.decode()
    response = client.post("/donate/", {"amount": "10.999", "frequency": "once"})
    assert "at most 2 decimals" in response.content.decode()
    assert not Pledge.objects.exists()
    response = client.post(
        "/donate/", {"amount": "40", "frequency": "once", "designation": detained.slug}
    )
    assert response.status_code == 302 and response["Location"] == "/donate/details/"
    name = fake.name()
    response = client.post(
        "/donate/details/", {"name": name, "email": "giver@example.net", "public_consent": "on"}
    )
    assert response.status_code == 302 and response["Location"] == "/donate/checkout/"
    page = client.get("/donate/checkout/").content.decode()
    assert "takes no money" in page and "card number" not in page.lower()
    response = client.post("/donate/checkout/", {"action": "pay"})
    assert response["Location"] == "/donate/thanks/"
    assert "$40.00" in client.get("/donate/thanks/").content.decode()
    gift = Gift.objects.get()
    assert (gift.amount, gift.designation, gift.channel) == (4_000, detained, "online")
    assert gift.donor is not None
    assert gift.donor.name == name and gift.donor.public_name == name
    for url in ("/donate/", "/donate/details/", "/donate/checkout/", "/donate/thanks/"):
        assert name not in url


def test_anonymous_gift_without_consent_stays_private(client: Any) -> None:
    client.post("/donate/", {"amount": "15", "frequency": "once"})
    client.post("/donate/details/", {"name": "", "email": ""})
    client.post("/donate/checkout/", {"action": "pay"})
    assert Gift.objects.get().donor is None


def test_transparency_page_shows_aggregates_and_consenting_names_only(
    client: Any, treasurer: Any, detained: Any
) -> None:
    private = donor_create(name="Zacarías Privado", email="private@example.net", by=treasurer)
    public = donor_create(
        name="Lucía Pública",
        email="public@example.net",
        public_name="Lucía Pública",
        public_consent=True,
        by=treasurer,
    )
    gift_record(
        amount=5_000,
        currency="USD",
        received_on=_day(),
        reference="P-1",
        donor=private,
        by=treasurer,
    )
    gift_record(
        amount=7_500,
        currency="USD",
        received_on=_day(),
        reference="P-2",
        donor=public,
        designation=detained,
        by=treasurer,
    )
    page = client.get("/transparency/").content.decode()
    assert "Lucía Pública" in page
    assert (
        "Zacarías" not in page
        and "private@example.net" not in page
        and "public@example.net" not in page
    )
    assert "$125.00" in page
    assert "No grants have been awarded yet" in page
    page_es = client.get("/transparency/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Dinero que entra, por mes" in page_es
    assert "$125.00" in page_es


def test_gift_export_has_no_protected_data(client_for: Any, treasurer: Any, detained: Any) -> None:
    donor = donor_create(name="=cmd|' /C calc'!A0", email="secret@example.net", by=treasurer)
    gift_record(
        amount=5_000,
        currency="USD",
        received_on=_day(),
        reference="-2+3",
        donor=donor,
        by=treasurer,
    )
    response = client_for(treasurer).get("/donations/export.csv")
    body = b"".join(response.streaming_content).decode()
    assert "secret@example.net" not in body and "calc" not in body
    assert "'-2+3" in body
    assert AuditEvent.objects.filter(action="donations.exported").exists()


def test_donor_sees_own_gifts_and_receipts_only(
    client_for: Any, make_user: Any, treasurer: Any
) -> None:
    me = make_user(Role.DONOR)
    mine = donor_create(name=fake.name(), email=me.email, user=me, by=treasurer)
    other = donor_create(name=fake.name(), email=fake.email(), by=treasurer)
    g1 = gift_record(
        amount=1_000, currency="USD", received_on=_day(), reference="MINE", donor=mine, by=treasurer
    )
    g2 = gift_record(
        amount=2_000,
        currency="USD",
        received_on=_day(),
        reference="THEIRS",
        donor=other,
        by=treasurer,
    )
    receipt_issue(gift=g1, by=treasurer)
    receipt_issue(gift=g2, by=treasurer)
    client = client_for(me)
    page = client.get("/donations/").content.decode()
    assert "MINE" in page and "THEIRS" not in page
    response = client.get(f"/donations/receipt/?gift={g1.pk}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client.get(f"/donations/receipt/?gift={g2.pk}").status_code == 404
    assert client.get("/donations/receipt/?gift=not-a-uuid").status_code == 404
    assert (
        AuditEvent.objects.filter(action="vault.read", object_type="donations.donor").exists()
        or AuditEvent.objects.filter(object_type="donations.donor").exists()
    )
    assert client.post("/donations/receipt/issue/", {"gift": str(g1.pk)}).status_code == 404


@pytest.mark.parametrize("role", [Role.BOARD_MEMBER, Role.DONOR, Role.PROVIDER_ADMIN])
def test_only_fund_administrators_and_the_system_record_money(make_user: Any, role: str) -> None:
    with pytest.raises(PermissionDenied):
        gift_record(
            amount=1_000, currency="USD", received_on=_day(), reference="P-1", by=make_user(role)
        )
    assert not Gift.objects.exists()
    gift = gift_record(amount=1_000, currency="USD", received_on=_day(), reference="P-1", by=SYSTEM)
    assert gift.entry.posted_by_id is None


def test_a_refused_value_names_its_field(treasurer: Any) -> None:
    with pytest.raises(ServiceError) as info:
        gift_record(amount=0, currency="USD", received_on=_day(), reference="Z", by=treasurer)
    assert list(info.value.error_dict) == ["amount"]


def test_a_year_end_statement_is_issued_by_a_post_never_by_a_get(
    client_for: Any, make_user: Any, treasurer: Any
) -> None:
    """Finding 12 of issue #15 (second round): a link or prefetch must not issue a statement."""
    from amparo.donations.models import Receipt

    me = make_user(Role.DONOR)
    mine = donor_create(name=fake.name(), email=me.email, user=me, by=treasurer)
    gift_record(
        amount=1_000, currency="USD", received_on=_day(), reference="MINE", donor=mine, by=treasurer
    )
    year = _day().year
    client = client_for(me)
    before = Receipt.objects.count()
    assert client.get(f"/donations/statement/?year={year}").status_code == 405
    assert Receipt.objects.count() == before
    page = client.get("/donations/").content.decode()
    assert 'method="post" action="/donations/statement/"' in page
    assert "csrfmiddlewaretoken" in page
    response = client.post("/donations/statement/", {"year": str(year)})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert Receipt.objects.count() == before + 1


@pytest.mark.parametrize("name", pdfread.NAMES)
def test_receipt_and_statement_print_the_donors_name_in_its_script(
    treasurer: Any, name: str
) -> None:
    donor = donor_create(name=name, email=fake.email(), language="en", by=treasurer)
    gift = gift_record(
        amount=10_000,
        currency="USD",
        received_on=_day(),
        reference="G-S",
        donor=donor,
        by=treasurer,
    )
    pdfread.assert_printed(receipt_pdf(receipt_issue(gift=gift, by=treasurer)), name)
    statement = year_end_statement_issue(donor=donor, year=gift.received_on.year, by=treasurer)
    pdfread.assert_printed(receipt_pdf(statement), name)
