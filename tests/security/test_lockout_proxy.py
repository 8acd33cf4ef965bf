"""Finding 4 of issue #15 (second round): behind a proxy, one person's wrong passwords must not
lock another person out. Axes reads the client's address from X-Forwarded-For (as many trusted
hops as configured), counts per (address, sign-in name), tells the account holder by email, and a
password reset lifts the lock."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings

from amparo.accounts.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PROXY = "10.0.0.1"
NEW_PASSWORD = "a brand new long passphrase 42"


def _behind_proxy(client_address: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)


def _lock_out(attacker: Client, email: str) -> None:
    statuses = [
        attacker.post(LOGIN, {"login": email, "password": f"wrong-{attempt}"}).status_code
        for attempt in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[-1] == 429, statuses


def test_trusted_proxy_count_comes_from_the_environment() -> None:
    assert settings.AXES_CLIENT_IP_CALLABLE == "amparo.core.ratelimit.lockout_client_ip"
    assert settings.AXES_LOCKOUT_PARAMETERS == [["ip_address", "username"]]


def test_a_request_without_an_address_is_logged_without_one() -> None:
    # axes stores the address in an inet column on PostgreSQL: "unknown" would abort the
    # transaction of the sign-in (and of every test after it on that connection).
    from django.test import RequestFactory

    from amparo.core.ratelimit import lockout_client_ip

    assert lockout_client_ip(RequestFactory().get("/", REMOTE_ADDR="")) is None
    assert lockout_client_ip(RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")) == "203.0.113.9"


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_an_attacker_behind_the_same_proxy_does_not_lock_out_the_victim() -> None:
    victim = UserFactory(role=Role.ATTORNEY)
    attacker = _behind_proxy("203.0.113.9")
    _lock_out(attacker, victim.email)
    assert {a.ip_address for a in AccessAttempt.objects.all()} == {"203.0.113.9"}

    # Neither axes nor allauth's own rate limits count per sign-in name alone.
    own = _behind_proxy("198.51.100.7")
    assert own.post(LOGIN, {"login": victim.email, "password": PASSWORD}).status_code == 302


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_attackers_from_many_addresses_do_not_lock_out_the_victim() -> None:
    victim = UserFactory(role=Role.ATTORNEY)
    for octet in range(1, 5):
        attacker = _behind_proxy(f"203.0.113.{octet}")
        for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            wrong = attacker.post(LOGIN, {"login": victim.email, "password": f"wrong-{attempt}"})
            assert wrong.status_code == 200
    own = _behind_proxy("198.51.100.7")
    assert own.post(LOGIN, {"login": victim.email, "password": PASSWORD}).status_code == 302


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_the_locked_out_user_is_told_by_email_once() -> None:
    victim = UserFactory(role=Role.ATTORNEY)
    attacker = _behind_proxy("203.0.113.9")
    mail.outbox.clear()
    _lock_out(attacker, victim.email)
    attacker.post(LOGIN, {"login": victim.email, "password": "again"})
    notices = [m for m in mail.outbox if victim.email in m.to]
    assert len(notices) == 1, [m.subject for m in mail.outbox]
    assert "/accounts/password/reset/" in notices[0].body

    # Nobody is told anything for an address that has no account.
    mail.outbox.clear()
    _lock_out(_behind_proxy("203.0.113.10"), "nobody@example.org")
    assert mail.outbox == []


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_a_password_reset_lifts_the_lock() -> None:
    victim = UserFactory(role=Role.ATTORNEY)
    attacker = _behind_proxy("198.51.100.7")  # the same address as the victim, this time
    _lock_out(attacker, victim.email)

    client = _behind_proxy("198.51.100.7")
    client.post("/accounts/password/reset/", {"email": victim.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    form = client.get(link.group(1), follow=True)
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link.group(1),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert not AccessAttempt.objects.exists()

    again = _behind_proxy("198.51.100.7")
    assert again.post(LOGIN, {"login": victim.email, "password": NEW_PASSWORD}).status_code == 302
