"""Finding 9 of issue #15: API tokens and calendar feeds do not survive a password reset or a
deactivation, and the reset email says so (English and Spanish). Finding 12: the mail to an
unknown address does not link to a sign-up that is closed."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from amparo.accounts.roles import Role
from amparo.accounts.services import api_token_authenticate, api_token_create, user_deactivate
from amparo.audit.models import AuditEvent
from amparo.deadlines.models import CalendarFeed
from amparo.deadlines.services import feed_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new long passphrase 42"


def _credentials(user):
    _token, raw = api_token_create(user=user, name="hotline")
    feed, _feed_raw = feed_create(by=user, scope="attorney", name="Phone")
    return raw, feed


def _reset_by_link(user, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.post("/accounts/password/reset/", {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    form = client.get(link.group(1), follow=True)
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link.group(1),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert done.status_code == 302, done.content[:300]
    return mail.outbox[-1]


def test_a_password_reset_revokes_every_token_and_feed_and_the_email_says_so():
    user = UserFactory(role=Role.ATTORNEY, preferred_language="en")
    raw, feed = _credentials(user)
    assert api_token_authenticate(raw=raw) == user

    notice = _reset_by_link(user)

    assert api_token_authenticate(raw=raw) is None
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert not CalendarFeed.objects.active().filter(owner=user).exists()
    assert AuditEvent.objects.filter(action="calendar.feed.revoked").exists()
    assert "Your password has been reset." in notice.body
    assert "Every API token and calendar feed address of your account was revoked" in notice.body


def test_the_reset_email_says_so_in_spanish():
    user = UserFactory(role=Role.ATTORNEY, preferred_language="es")
    _credentials(user)
    notice = _reset_by_link(user, language="es")
    assert "revocaron" in notice.body, notice.body


def test_deactivating_an_account_revokes_its_tokens_and_feeds():
    admin = UserFactory(role=Role.FUND_ADMIN)
    user = UserFactory(role=Role.ATTORNEY)
    raw, feed = _credentials(user)
    user_deactivate(user=user, by=admin)
    user.refresh_from_db()
    feed.refresh_from_db()
    assert not user.is_active
    assert api_token_authenticate(raw=raw) is None
    assert feed.revoked_at is not None


def test_an_unknown_address_gets_no_sign_up_link():
    Client().post("/accounts/password/reset/", {"email": "nobody@example.org"})
    body = mail.outbox[-1].body
    assert "signup" not in body and "sign up" not in body.lower()
    assert "invitation only" in body
