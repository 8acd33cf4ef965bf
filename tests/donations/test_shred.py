"""Removing a donor's data on request: fund administrators only, a reason, the raw database
afterwards, the money untouched, the pages and the receipt, and the operator's command."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.audit.models import AuditEvent
from amparo.core.services import SYSTEM, ServiceError
from amparo.donations.models import Donor, Gift
from amparo.donations.services import donor_create, donor_shred, gift_record, receipt_issue
from amparo.ledger.selectors import restriction_balances, trial_balance
from amparo.ledger.verify import ledger_verify
from amparo.vault.models import Subject
from tests.clock import FROZEN_TODAY, frozen
from tests.support.raw_database import found_in_raw_database

pytestmark = [pytest.mark.django_db, frozen]

NAME = "Guadalupe Ortega Villaseñor"
EMAIL = "lupita.ortega.villasenor@example.net"
PUBLIC = "The Ortega Villaseñor family"
REMOVED_EN = "[removed on request]"
REMOVED_ES = "[eliminado a petición]"


@pytest.fixture
def donor(treasurer: Any, make_user: Callable[..., Any], detained: Any) -> Donor:
    """A donor who signs in, consented to be thanked in public, and gave twice (one receipted)."""
    account = make_user(Role.DONOR, mfa=False, email=EMAIL, first_name="Guadalupe")
    donor = donor_create(
        name=NAME,
        email=EMAIL,
        language="es",
        public_name=PUBLIC,
        public_consent=True,
        user=account,
        by=treasurer,
    )
    for n, amount in enumerate((25_000, 7_500)):
        gift = gift_record(
            amount=amount,
            currency="USD",
            received_on=FROZEN_TODAY - datetime.timedelta(days=5 + n),
            reference=f"G-SHRED-{n}",
            donor=donor,
            designation=detained if n == 0 else None,
            by=treasurer,
        )
        if n == 0:
            receipt_issue(gift=gift, by=treasurer)
    return donor


def _money() -> tuple[Any, ...]:
    """What the books say: the trial balance, restricted balances and every gift's amount."""
    balance = trial_balance()
    rows = [(r.account.code, r.currency, r.debit, r.credit) for r in balance.rows]
    restricted = [(r.slug, c, a) for r, c, a in restriction_balances()]
    gifts = sorted(Gift.objects.values_list("reference", "amount", "donor_id"))
    return rows, restricted, gifts


def _shredded(donor: Donor) -> bool:
    return Subject.objects.get(pk=donor.subject_id).shredded_at is not None


def test_a_fund_administrator_removes_the_donor_and_the_raw_database_keeps_nothing_of_them(
    donor: Donor, treasurer: Any
) -> None:
    index = Donor.objects.get(pk=donor.pk).email_index
    terms = [NAME, EMAIL, PUBLIC, index]
    assert set(found_in_raw_database(*terms)) >= {EMAIL, PUBLIC, index}, "in the clear before"
    money = _money()

    donor_shred(donor=donor, by=treasurer, reason="Asked by email to be forgotten.")
    assert found_in_raw_database(*terms) == []
    assert _money() == money and ledger_verify().balanced
    assert _shredded(donor)
    account = User.objects.get(first_name="", role=Role.DONOR)
    assert not account.is_active and not account.has_usable_password()
    assert Donor.objects.get(pk=donor.pk).user_id is None
    event = AuditEvent.objects.get(action="donations.donor.shredded")
    assert event.actor_id == treasurer.pk and event.reason == "Asked by email to be forgotten."


@pytest.mark.parametrize("role", [Role.BOARD_MEMBER, Role.PROVIDER_ADMIN, Role.DONOR])
def test_other_roles_are_refused_and_nothing_changes(
    role: str, donor: Donor, make_user: Callable[..., Any]
) -> None:
    with pytest.raises(PermissionDenied):
        donor_shred(donor=donor, by=make_user(role), reason="asked")
    assert not _shredded(donor) and Donor.objects.get(pk=donor.pk).name == NAME


def test_a_blank_reason_is_refused_and_a_second_removal_says_it_was_done(
    donor: Donor, treasurer: Any
) -> None:
    with pytest.raises(ServiceError) as blank:
        donor_shred(donor=donor, by=treasurer, reason=" \t")
    assert "reason" in blank.value.message_dict
    assert not _shredded(donor) and Donor.objects.get(pk=donor.pk).public_name == PUBLIC

    donor_shred(donor=donor, by=treasurer, reason="asked")
    with pytest.raises(ServiceError) as again:
        donor_shred(donor=donor, by=treasurer, reason="asked")
    assert "already removed" in " ".join(again.value.messages)


def test_through_the_pages_then_every_page_and_the_receipt_say_removed_in_both_languages(
    donor: Donor, treasurer: Any, client_for: Callable[..., Client]
) -> None:
    browser = client_for(treasurer)
    listing = browser.get(reverse("donations:list")).content.decode()
    page_url = reverse("donations:donor", args=[donor.pk])
    assert page_url in listing
    page = browser.get(page_url).content.decode()
    remove_url = reverse("donations:donor-remove", args=[donor.pk])
    assert NAME in page and EMAIL in page and remove_url in page

    blank = browser.post(remove_url, {"reason": ""}, HTTP_ACCEPT_LANGUAGE="es")
    assert blank.status_code == 400
    assert "Diga por qué se eliminan los datos." in blank.content.decode()
    assert not _shredded(donor)

    done = browser.post(remove_url, {"reason": "Asked by phone."}, follow=True)
    assert done.redirect_chain[-1][0] == page_url and _shredded(donor)
    body = done.content.decode()
    assert REMOVED_EN in body and NAME not in body and remove_url not in body

    for language, removed in (("en", REMOVED_EN), ("es", REMOVED_ES)):
        for url in (page_url, reverse("donations:list")):
            answer = browser.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert answer.status_code == 200 and removed in answer.content.decode()
    gift = Gift.objects.get(reference="G-SHRED-0")
    receipt = browser.get(reverse("donations:receipt"), {"gift": gift.pk})
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    assert NAME.encode() not in receipt.content


def test_the_donor_pages_are_for_fund_administrators_only(
    donor: Donor, make_user: Callable[..., Any], client_for: Callable[..., Client]
) -> None:
    browser = client_for(make_user(Role.BOARD_MEMBER))
    for name in ("donations:donor", "donations:donor-remove"):
        assert browser.get(reverse(name, args=[donor.pk])).status_code == 404
    assert (
        browser.post(
            reverse("donations:donor-remove", args=[donor.pk]), {"reason": "x"}
        ).status_code
        == 404
    )
    assert not _shredded(donor)


def test_the_command_removes_a_donor_and_refuses_a_missing_one(
    donor: Donor, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(CommandError, match="No donor nope"):
        call_command("shred", "--donor", "nope", "--reason", "asked")
    with pytest.raises(CommandError, match=r"Say why the data is removed\."):
        call_command("shred", "--donor", str(donor.pk), "--reason", "")
    assert not _shredded(donor)
    call_command("shred", "--donor", str(donor.pk), "--reason", "Letter")
    assert _shredded(donor)
    assert "the donor's data was removed; 2 gifts stay" in capsys.readouterr().out
    assert AuditEvent.objects.get(action="donations.donor.shredded").actor_id is None
    assert SYSTEM.pk is None
