"""Donors sign in by an emailed link; their account holds neither their address nor their name."""

from __future__ import annotations

import datetime
import importlib

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.db import connection
from django.test import Client

from amparo.accounts.models import User
from amparo.accounts.roles import Role
from amparo.donations.donor_accounts import donor_accounts_convert
from amparo.donations.models import Donor
from amparo.donations.services import donor_find_by_email, gift_record
from tests.clock import FROZEN_TODAY, frozen
from tests.factories import PASSWORD, UserFactory, donor_account
from tests.support.donor_link import donor_link_path

pytestmark = pytest.mark.django_db

WRONG = (
    "This sign-in link is not valid. Check that you copied all of it, or ask for a new one below."
)
EXPIRED = "This sign-in link has expired. Ask for a new one below."
USED = "This sign-in link was already used. Ask for a new one below."
WRONG_ES = (
    "Este enlace para iniciar sesión no es válido. Compruebe que lo copió completo, o pida uno "
    "nuevo abajo."
)
EXPIRED_ES = "Este enlace para iniciar sesión ha caducado. Pida uno nuevo abajo."
USED_ES = "Este enlace para iniciar sesión ya se usó. Pida uno nuevo abajo."


def _raw_rows(table: str) -> str:
    """Every value of every row of ``table``, as the database holds them."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        return repr(cursor.fetchall())


def _request_link(client: Client, email: str, mailoutbox, capture) -> str:
    with capture(execute=True):
        response = client.post("/accounts/donor/sign-in/", {"email": email})
    assert response.status_code == 200
    return donor_link_path(mailoutbox[-1])


def test_an_invited_donor_signs_in_by_the_link_and_is_greeted_by_name(
    make_user, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    admin = make_user(Role.FUND_ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(
            "/accounts/people/invite/",
            {
                "email": "Ana.Gives@Example.net",
                "first_name": "Ana",
                "last_name": "Quintero",
                "role": Role.DONOR,
                "language": "en",
            },
        )
    assert response.status_code == 302

    account = User.objects.get(role=Role.DONOR)
    assert account.email.startswith("d-") and account.email.endswith("@donor.invalid")
    assert (account.first_name, account.last_name) == ("", "")
    assert not account.has_usable_password()
    assert not EmailAddress.objects.filter(user=account).exists()
    for table in ("accounts_user", "account_emailaddress", "donations_donor"):
        raw = _raw_rows(table).lower()
        assert "ana.gives" not in raw and "quintero" not in raw, table
    donor = donor_find_by_email("ana.gives@example.net")
    assert donor is not None and donor.user == account and donor.name == "Ana Quintero"

    [mail] = mailoutbox
    assert mail.to == ["Ana.Gives@Example.net"]
    assert "works for 3 days and only once" in mail.body
    path = donor_link_path(mail)

    gift_record(
        amount=2_500, currency="USD", received_on=FROZEN_TODAY, reference="ANA-1", donor=donor,
        by=admin,
    )  # fmt: skip
    client = Client()
    page = client.get(path)
    assert page.status_code == 200 and "Sign in to your donor page" in page.content.decode()
    assert client.get("/donations/").status_code == 302  # opening the link signs nobody in
    signed_in = client.post(path)
    assert signed_in.status_code == 302 and signed_in["Location"] == "/donations/"
    gifts = client.get("/donations/").content.decode()
    assert "Welcome, Ana Quintero." in gifts and "ANA-1" in gifts
    dashboard = client.get("/dashboard/").content.decode()
    assert "Signed in as Donor (Donor)." in dashboard and "donor.invalid" not in dashboard


@pytest.mark.parametrize(
    ("language", "used", "wrong"), [("en", USED, WRONG), ("es", USED_ES, WRONG_ES)]
)
def test_used_and_wrong_links_say_why_and_sign_nobody_in(
    language, used, wrong, mailoutbox, django_capture_on_commit_callbacks
):
    user, _donor = donor_account(email="reuse@example.net")
    client = Client(headers={"accept-language": language})
    path = _request_link(
        client, "reuse@example.net", mailoutbox, django_capture_on_commit_callbacks
    )
    assert client.post(path).status_code == 302

    other = Client(headers={"accept-language": language})
    again = other.post(path)
    assert again.status_code == 400 and used in again.content.decode()
    assert other.get("/donations/").status_code == 302
    assert client.get(path).status_code == 400  # the page of a used link says so too

    damaged = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    for attempt in (damaged, "/accounts/donor/sign-in/not-a-link/"):
        answer = other.post(attempt)
        assert answer.status_code == 400 and wrong in answer.content.decode()
    assert other.get("/donations/").status_code == 302
    user.refresh_from_db()
    assert user.last_login is not None


@frozen
@pytest.mark.parametrize(("language", "expired"), [("en", EXPIRED), ("es", EXPIRED_ES)])
def test_a_link_older_than_fifteen_minutes_has_expired(
    language, expired, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    user, _donor = donor_account(email="late@example.net")
    client = Client(headers={"accept-language": language})
    path = _request_link(client, "late@example.net", mailoutbox, django_capture_on_commit_callbacks)
    assert "15 minutes" in mailoutbox[-1].body or "15 minutos" in mailoutbox[-1].body
    time_machine.shift(datetime.timedelta(minutes=14))
    assert client.get(path).status_code == 200
    time_machine.shift(datetime.timedelta(minutes=2))
    answer = client.post(path)
    assert answer.status_code == 400 and expired in answer.content.decode()
    assert client.get("/donations/").status_code == 302
    user.refresh_from_db()
    assert user.last_login is None


def test_the_request_page_answers_alike_whether_or_not_an_account_exists(
    mailoutbox, django_capture_on_commit_callbacks
):
    donor_account(email="known@example.net")
    client = Client()
    pages = []
    for email in ("known@example.net", "stranger@example.net"):
        with django_capture_on_commit_callbacks(execute=True):
            pages.append(client.post("/accounts/donor/sign-in/", {"email": email}))
    assert [p.status_code for p in pages] == [200, 200]
    texts = [p.content.decode().replace("csrfmiddlewaretoken", "") for p in pages]
    assert all("If this address belongs to a donor page" in t for t in texts)
    assert [m.to for m in mailoutbox] == [["known@example.net"]]

    refused = client.post("/accounts/donor/sign-in/", {"email": "not an address"})
    assert refused.status_code == 200 and 'class="error-summary"' in refused.content.decode()
    assert len(mailoutbox) == 1


def test_asking_for_links_is_rate_limited(settings, mailoutbox):
    settings.AMPARO_RATE_LIMITS = {"donor-sign-in": {"per_ip": "2/h"}}
    client = Client()
    codes = [
        client.post("/accounts/donor/sign-in/", {"email": "x@example.net"}).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]


def test_a_donor_cannot_sign_in_with_a_password_nor_reset_one(
    mailoutbox, django_capture_on_commit_callbacks
):
    user, _donor = donor_account(email="nopass@example.net")
    client = Client()
    for login in ("nopass@example.net", user.email):
        answer = client.post("/accounts/login/", {"login": login, "password": PASSWORD})
        assert answer.status_code == 200 and "_auth_user_id" not in client.session
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "nopass@example.net"})
    assert all("/accounts/password/reset/key/" not in m.body for m in mailoutbox)
    assert all("donor.invalid" not in m.body for m in mailoutbox)


def test_a_donor_signed_in_by_link_needs_no_authenticator(
    mailoutbox, django_capture_on_commit_callbacks
):
    donor_account(email="phone@example.net", name="Lucía Ramos")
    client = Client()
    path = _request_link(
        client, "phone@example.net", mailoutbox, django_capture_on_commit_callbacks
    )
    client.post(path)
    page = client.get("/donations/")
    assert page.status_code == 200 and "Welcome, Lucía Ramos." in page.content.decode()


def test_accounts_made_before_are_converted_by_the_migration():
    legacy = UserFactory(
        role=Role.DONOR, email="old.donor@example.net", first_name="Olga", last_name="Serrano"
    )
    staff = UserFactory(role=Role.FUND_ADMIN, email="staff@example.org")
    migration = importlib.import_module("amparo.accounts.migrations.0003_donor_accounts_digested")
    migration.convert(apps, None)

    legacy.refresh_from_db()
    assert legacy.email.endswith("@donor.invalid") and not legacy.get_full_name()
    assert not legacy.has_usable_password()
    assert not EmailAddress.objects.filter(user=legacy).exists()
    donor = Donor.objects.get(user=legacy)
    assert (donor.email, donor.name) == ("old.donor@example.net", "Olga Serrano")
    raw = _raw_rows("accounts_user") + _raw_rows("account_emailaddress")
    assert "old.donor" not in raw and "Serrano" not in raw and "staff@example.org" in raw
    staff.refresh_from_db()
    assert staff.email == "staff@example.org"
    assert donor_accounts_convert() == 0  # running it again changes nothing
