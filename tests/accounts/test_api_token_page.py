"""Creating an API token is post/redirect/get: the raw token is shown once, on a GET page after
the POST, and Back or reload there shows no token and creates none."""

from __future__ import annotations

import logging

import pytest
from django.db import connection

from amparo.accounts.models import ApiToken
from amparo.accounts.roles import Role
from tests.accounts.helpers import main_of

pytestmark = pytest.mark.django_db

NEW = "/accounts/tokens/new/"
DONE = "/accounts/tokens/new/done/"


def _sessions_as_stored() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_data FROM django_session")
        return repr(cursor.fetchall())


def test_the_token_is_shown_once_after_a_redirect_and_reload_creates_nothing(
    make_user, client_for, caplog
):
    user = make_user(Role.FUND_ADMIN)
    client = client_for(user)
    caplog.set_level(logging.DEBUG)

    posted = client.post(NEW, {"name": "Case system"})

    assert posted.status_code == 302
    assert posted["Location"] == DONE
    token = ApiToken.objects.get(user=user)
    assert ApiToken.objects.filter(user=user).count() == 1
    # The POST's answer is a redirect with no body to re-show.
    assert token.hint not in posted.content.decode()

    first = client.get(posted["Location"])
    assert first.status_code == 200
    assert "no-store" in first["Cache-Control"]
    page = main_of(first)
    raw = page.split('id="raw-token">', 1)[1].split("<", 1)[0]
    assert raw.startswith(token.hint)
    assert ApiToken.digest_of(raw) == token.digest
    assert "it will not be shown again" in page
    assert "Case system" in page

    again = client.get(DONE)
    assert again.status_code == 200
    assert raw not in again.content.decode()
    assert 'id="raw-token"' not in again.content.decode()
    assert "Token already shown" in main_of(again)
    assert ApiToken.objects.filter(user=user).count() == 1

    # Never in a URL, a log line or the session table as stored.
    assert raw not in posted["Location"]
    assert raw not in caplog.text
    assert raw not in _sessions_as_stored()


def test_a_token_revoked_before_its_page_is_not_shown(make_user, client_for):
    user = make_user(Role.FUND_ADMIN)
    client = client_for(user)
    client.post(NEW, {"name": "Revoked soon"})
    token = ApiToken.objects.get(user=user)
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    # Revoked before it was shown (another tab): a token that no longer works is not shown.
    page = client.get(DONE)
    assert 'id="raw-token"' not in page.content.decode()


def test_a_get_of_the_form_creates_nothing_and_a_bad_name_stays_on_the_form(make_user, client_for):
    user = make_user(Role.FUND_ADMIN)
    client = client_for(user)
    assert client.get(NEW).status_code == 200
    refused = client.post(NEW, {"name": ""})
    assert refused.status_code == 200
    assert "This field is required." in main_of(refused)
    assert not ApiToken.objects.filter(user=user).exists()


def test_the_page_reads_in_spanish(make_user, client_for):
    client = client_for(make_user(Role.FUND_ADMIN))
    posted = client.post(NEW, {"name": "Sistema"}, HTTP_ACCEPT_LANGUAGE="es")
    shown = main_of(client.get(posted["Location"], HTTP_ACCEPT_LANGUAGE="es"))
    assert "no se volverá a mostrar" in shown
    gone = main_of(client.get(DONE, HTTP_ACCEPT_LANGUAGE="es"))
    assert "Token ya mostrado" in gone
