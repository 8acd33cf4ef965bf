"""One identity: the fund's name, sender and public address are the same in every mail, page
and PDF, whatever host the request came in on."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.test import Client, RequestFactory

from amparo.accounts.lockout import lockout_notice_send
from amparo.accounts.roles import Role
from amparo.accounts.services import user_invite
from amparo.core.identity import absolute_url, fund_identity, sender
from amparo.notify.messages import HearingFacts, hearing_reminder
from amparo.rights import pdf
from amparo.rights.hotlines import hotlines
from tests.factories import UserFactory, donor_account, enrol_totp
from tests.mailcheck import assert_speaks_as_the_fund
from tests.rights import pdftext
from tests.support.donor_link import donor_link_path

pytestmark = pytest.mark.django_db

LOCAL = {"HTTP_HOST": "127.0.0.1"}


def test_the_identity_is_read_from_the_settings(fund_settings: dict[str, str]) -> None:
    fund = fund_identity()
    assert (fund.name, fund.city, fund.hotline) == (
        "Synthetic City Fund",
        "Denver",
        "(303) 555-0100",
    )
    assert fund.site_url == "https://fondo.amparo.test" and fund.site_domain == "fondo.amparo.test"
    assert sender() == "Synthetic City Fund <no-reply@fondo.amparo.test>"


def test_a_link_built_on_any_host_is_moved_to_the_public_address(
    fund_settings: dict[str, str],
) -> None:
    assert (
        absolute_url("http://127.0.0.1:8000/a/b/?x=1#y") == "https://fondo.amparo.test/a/b/?x=1#y"
    )
    assert absolute_url("/rights/") == "https://fondo.amparo.test/rights/"


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_password_reset_mail_speaks_as_the_fund(
    fund_settings: dict[str, str], language: str
) -> None:
    user = UserFactory(role=Role.BOARD_MEMBER)
    enrol_totp(user)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.post("/accounts/password/reset/", {"email": user.email}, **LOCAL)
    (message,) = mail.outbox
    assert_speaks_as_the_fund(message, fund_settings)
    assert message.subject.startswith("[Synthetic City Fund] ")
    greeting = "Hello from Synthetic City Fund" if language == "en" else "Synthetic City Fund"
    assert greeting in message.body
    assert re.search(r"https://fondo\.amparo\.test/accounts/password/reset/key/\S+/", message.body)


def test_the_unknown_account_mail_speaks_as_the_fund(fund_settings: dict[str, str]) -> None:
    Client().post("/accounts/password/reset/", {"email": "nobody@example.net"}, **LOCAL)
    (message,) = mail.outbox
    assert_speaks_as_the_fund(message, fund_settings)


def test_the_invitation_speaks_as_the_fund(
    fund_settings: dict[str, str], django_capture_on_commit_callbacks
) -> None:
    admin = UserFactory(role=Role.FUND_ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        user_invite(email="board@example.org", role=Role.BOARD_MEMBER, by=admin)
    (message,) = mail.outbox
    assert_speaks_as_the_fund(message, fund_settings)
    assert "https://fondo.amparo.test/accounts/password/reset/key/" in message.body


def test_the_lockout_notice_speaks_as_the_fund(fund_settings: dict[str, str]) -> None:
    user = UserFactory(role=Role.ATTORNEY)
    request = RequestFactory().post("/accounts/login/", **LOCAL)
    assert lockout_notice_send(request, user.email, "digest-1")
    (message,) = mail.outbox
    assert_speaks_as_the_fund(message, fund_settings)
    assert "https://fondo.amparo.test/accounts/password/reset/" in message.body


def test_the_donor_sign_in_link_is_on_the_public_site_whatever_host_was_asked(
    fund_settings: dict[str, str], django_capture_on_commit_callbacks
) -> None:
    donor_account(email="giver@example.org", name="Lucía Dadora")
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(
            "/accounts/donor/sign-in/", {"email": "giver@example.org"}, HTTP_HOST="evil.example"
        )
    (message,) = mail.outbox
    assert_speaks_as_the_fund(message, fund_settings)
    assert "evil.example" not in message.body
    assert "https://fondo.amparo.test" + donor_link_path(message) in message.body


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_hearing_reminder_mail_names_the_fund_and_links_the_public_site(
    fund_settings: dict[str, str], language: str
) -> None:
    facts = HearingFacts(
        date=datetime.date(2027, 3, 1),
        time=None,
        kind="master",
        mode="in_person",
        court="Denver Immigration Court",
        organization="Synthetic Legal Services",
        phone="",
        days_before=7,
    )
    body = hearing_reminder(facts, language, "email")["body"]
    assert "Synthetic City Fund" in body
    assert "https://fondo.amparo.test/rights/" in body and "127.0.0.1" not in body


def test_pages_the_card_and_the_hotlines_name_the_fund_alike(fund_settings: dict[str, str]) -> None:
    for url in ("/", "/rights/", "/rights/card/", "/help/"):
        assert "Synthetic City Fund" in Client().get(url).content.decode(), url
    (line,) = hotlines()
    assert (line.name, line.tel) == ("Synthetic City Fund", "tel:+13035550100")
    card = Client().get("/rights/card.pdf").content
    assert "(303) 555-0100" in pdftext.text(card)
    assert b"Synthetic City Fund" in pdf.rights_card(
        language="en", hotlines=hotlines(), compress=False
    )
