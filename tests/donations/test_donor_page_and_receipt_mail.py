"""A donor's dashboard lists their gifts, receipts and statements (theirs only), and a receipt
is mailed to the donor once, in their language, from the fund, with the PDF attached."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from amparo.audit.models import AuditEvent
from amparo.core.services import SYSTEM
from amparo.donations.models import Receipt
from amparo.donations.services import donor_create, gift_record, receipt_issue
from amparo.donations.tasks import email_receipt
from tests.clock import FROZEN_TODAY, frozen
from tests.factories import donor_account
from tests.mailcheck import assert_speaks_as_the_fund

pytestmark = [pytest.mark.django_db, frozen]


def _gift(donor: Any, reference: str, amount: int = 7_550, days: int = 20) -> Any:
    return gift_record(
        amount=amount,
        currency="USD",
        received_on=FROZEN_TODAY - datetime.timedelta(days=days),
        reference=reference,
        donor=donor,
        by=SYSTEM,
    )


def test_an_issued_receipt_is_mailed_once_in_spanish_with_the_pdf(
    treasurer: Any, fund_settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    donor = donor_create(name="Lucía Ramos", email="lucia@example.net", language="es", by=treasurer)
    gift = _gift(donor, "LR-1")
    with django_capture_on_commit_callbacks(execute=True):
        receipt = receipt_issue(gift=gift, by=treasurer)
    [message] = mail.outbox
    assert message.to == ["lucia@example.net"]
    assert message.subject == f"Su recibo fiscal {receipt.number} de {fund_settings['FUND_NAME']}"
    assert "Gracias por su donación de $75.50" in message.body
    assert_speaks_as_the_fund(message, fund_settings)
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == (f"{receipt.number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF") and b"Recibo fiscal" in content
    receipt.refresh_from_db()
    assert receipt.emailed_at is not None
    assert AuditEvent.objects.filter(action="donations.receipt_emailed").count() == 1

    email_receipt.enqueue(receipt_id=receipt.pk)  # the task retried: nothing more leaves
    assert len(mail.outbox) == 1


def test_a_receipt_rolled_back_is_never_mailed(
    treasurer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    donor = donor_create(name="Ana", email="ana@example.net", by=treasurer)
    gift = _gift(donor, "ANA-1")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        receipt_issue(gift=gift, by=treasurer)
        raise RuntimeError
    assert mail.outbox == [] and not Receipt.objects.exists()


def test_a_failed_send_is_sent_again_by_the_retry(
    treasurer: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    donor = donor_create(name="Ana", email="ana@example.net", by=treasurer)
    gift = _gift(donor, "ANA-2")
    settings.EMAIL_BACKEND = "tests.donations.test_donor_page_and_receipt_mail.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        receipt = receipt_issue(gift=gift, by=treasurer)
    receipt.refresh_from_db()
    assert receipt.emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    email_receipt.enqueue(receipt_id=receipt.pk)
    assert len(mail.outbox) == 1


class FailingBackend:
    """A mail server that is down: every send raises."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise OSError("mail server down")


def test_the_dashboard_lists_the_donors_own_gifts_receipts_and_statements(
    treasurer: Any, client_for: Any
) -> None:
    user, mine = donor_account(email="me@example.net", name="Me", language="en")
    other = donor_create(name="Other", email="other@example.net", by=treasurer)
    my_gift = _gift(mine, "MINE-2026", amount=12_345)
    last_year = _gift(mine, "MINE-2025", days=400)
    their_gift = _gift(other, "THEIRS-1", amount=99_999)
    receipt = receipt_issue(gift=my_gift, by=treasurer, email=False)
    theirs = receipt_issue(gift=their_gift, by=treasurer, email=False)
    client = client_for(user)
    page = client.get("/dashboard/").content.decode()
    assert "Your gifts, receipts and statements" in page
    assert "$123.45" in page and "$999.99" not in page
    assert f"Receipt {receipt.number} for your gift of" in page
    assert theirs.number not in page
    assert f"Year-end statement for {FROZEN_TODAY.year} (PDF)" in page
    assert f"Year-end statement for {last_year.received_on.year} (PDF)" in page
    download = client.get(f"/donations/receipt/?gift={my_gift.pk}")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert client.get(f"/donations/receipt/?gift={their_gift.pk}").status_code == 404


def test_a_donor_without_gifts_is_told_what_comes(client_for: Any) -> None:
    user, _donor = donor_account(email="new@example.net", name="New", language="es")
    page = client_for(user).get("/dashboard/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Sus donaciones y recibos aparecerán aquí." in page
