"""Axes' tables and log lines hold keyed digests of sign-in names, never an email in the clear.

Failed sign-ins, a successful one and a sign-out all go through the real views; then every
column of every axes table is read back and searched for the email typed.
"""

from __future__ import annotations

import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.cache import cache
from django.test import Client

from amparo.accounts.lockout import login_digest
from amparo.accounts.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _axes_rows_text() -> str:
    """Every value of every row of axes' three tables, as one lower-cased text."""
    rows = [
        *AccessAttempt.objects.values(),
        *AccessLog.objects.values(),
        *AccessFailureLog.objects.values(),
    ]
    return "\n".join(str(value) for row in rows for value in row.values()).lower()


@pytest.fixture
def failure_log(settings):
    """Axes' optional log of each failure is on, so its table is searched too."""
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True


def test_failures_success_and_sign_out_leave_no_email_in_axes_tables(failure_log, caplog):
    caplog.set_level(logging.DEBUG)
    user = UserFactory(role=Role.DONOR)
    client = Client()
    typed = "  " + user.email.upper()
    for attempt in range(2):
        response = client.post(LOGIN, {"login": typed, "password": f"wrong-{attempt}"})
        assert response.status_code == 200
    assert AccessFailureLog.objects.count() == 2
    assert AccessAttempt.objects.get().username == login_digest(user.email)

    cache.clear()  # allauth's own per-process limit is not what is tested here
    assert client.post(LOGIN, {"login": user.email, "password": PASSWORD}).status_code == 302
    assert client.get("/dashboard/").status_code == 200
    client.post("/accounts/logout/")

    logged = AccessLog.objects.get()
    assert logged.username == login_digest(user.email)
    assert logged.logout_time is not None, "the sign-out found its log row by the digest"
    # A success resets the failure count kept under the same digest.
    assert not AccessAttempt.objects.exists()

    text = _axes_rows_text()
    local_part = user.email.split("@")[0].lower()
    assert user.email.lower() not in text and local_part not in text
    assert "wrong-" not in text and PASSWORD.lower() not in text
    log = "\n".join(r.getMessage() for r in caplog.records).lower()
    assert user.email.lower() not in log and local_part not in log


def test_the_digest_is_keyed_by_the_vault_not_the_secret_key(settings):
    email = "someone@example.org"
    before = login_digest(email)
    settings.SECRET_KEY = "another-secret-key-that-is-long-enough-for-django-checks"
    assert login_digest(email) == before
    assert login_digest(" SomeOne@Example.org ") == before
    assert email not in before and login_digest("other@example.org") != before


def test_lockout_by_digest_holds_the_pair_and_lifts_on_success_elsewhere(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory(role=Role.DONOR)
    for attempt in range(3):
        client.post(LOGIN, {"login": user.email, "password": f"wrong-{attempt}"})
    cache.clear()
    assert client.post(LOGIN, {"login": user.email, "password": PASSWORD}).status_code == 429

    # The same person from another address is not held back, and signs in.
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert elsewhere.post(LOGIN, {"login": user.email, "password": PASSWORD}).status_code == 302
    # The lock at the first address is kept: it was keyed by that address and the digest.
    cache.clear()
    assert client.post(LOGIN, {"login": user.email, "password": PASSWORD}).status_code == 429


def test_the_migration_digests_emails_axes_stored_before():
    from importlib import import_module

    from django.apps import apps
    from django.utils import timezone

    migration = import_module("amparo.accounts.migrations.0002_axes_usernames_digested")
    now = timezone.now()
    old = AccessLog.objects.create(username="Old.Entry@example.org", attempt_time=now)
    done = AccessLog.objects.create(username=login_digest("done@example.org"), attempt_time=now)
    failed = AccessFailureLog.objects.create(username="x@example.org", attempt_time=now)

    migration.digest_usernames(apps, None)

    old.refresh_from_db()
    done.refresh_from_db()
    failed.refresh_from_db()
    assert old.username == login_digest("old.entry@example.org")
    assert done.username == login_digest("done@example.org")
    assert failed.username == login_digest("x@example.org")
    assert "example.org" not in _axes_rows_text()
