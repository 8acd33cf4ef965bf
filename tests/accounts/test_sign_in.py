"""Signing in end to end: password, then the authenticator code; enrolment; lockout; logs."""

from __future__ import annotations

import logging
import re

import pytest
from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client

from amparo.accounts.roles import Role
from tests.factories import PASSWORD, UserFactory, enrol_totp

from .helpers import main_of, secret_on_page, totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
MFA = "/accounts/2fa/authenticate/"


def _all_log_text(caplog) -> str:
    return "\n".join(r.getMessage() for r in caplog.records)


def test_full_sign_in_with_password_then_totp_code(caplog):
    caplog.set_level(logging.INFO)
    user = UserFactory(role=Role.FUND_ADMIN)
    secret = enrol_totp(user)
    client = Client()

    page = client.get(LOGIN)
    assert page.status_code == 200
    body = main_of(page)
    assert '<label for="id_login">' in body and '<label for="id_password">' in body
    assert "sign up" not in body.lower()

    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == MFA
    # The password alone does not sign anyone in.
    assert client.get("/dashboard/")["Location"].startswith(LOGIN)

    page = client.get(MFA)
    assert '<label for="id_code">Authenticator code</label>' in page.content.decode()

    wrong = client.post(MFA, {"code": "000000"})
    assert wrong.status_code == 200
    body = main_of(wrong)
    assert 'class="error-summary"' in body and 'href="#id_code"' in body
    assert "Incorrect code." in body

    response = client.post(MFA, {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    dashboard = client.get("/dashboard/")
    assert dashboard.status_code == 200
    assert dashboard.wsgi_request.user == user

    log = _all_log_text(caplog)
    assert f"sign-in user_id={user.pk}" in log
    assert f"sign-in code rejected user_id={user.pk}" in log
    assert user.email not in log and PASSWORD not in log


def test_a_recovery_code_signs_in_once(client):
    user = UserFactory(role=Role.ATTORNEY)
    enrol_totp(user)
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    code = RecoveryCodes.activate(user).get_unused_codes()[0]
    client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert client.post(MFA, {"code": code})["Location"] == "/dashboard/"
    client.post("/accounts/logout/")

    other = Client()
    other.post(LOGIN, {"login": user.email, "password": PASSWORD})
    again = other.post(MFA, {"code": code})
    assert again.status_code == 200
    assert "Incorrect code." in again.content.decode()


def test_staff_enrol_with_a_server_side_qr_code_and_receive_recovery_codes(client):
    user = UserFactory(role=Role.INTAKE_WORKER)
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/dashboard/"
    # No authenticator yet: every staff page sends them to enrol, without a second password.
    assert client.get("/dashboard/")["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    body = main_of(page)
    qr = re.search(r'<img class="qr-code" src="([^"]+)" alt="([^"]+)"', body)
    assert qr, "a QR code image"
    assert qr.group(1).startswith("data:image/svg+xml;base64,"), "generated on the server"
    assert len(qr.group(2)) > 20, "the QR code has a text alternative"
    assert not re.search(r'(src|href)="https?://', body), "nothing is loaded from elsewhere"
    secret = secret_on_page(body)

    bad = client.post("/accounts/2fa/totp/activate/", {"code": "123"})
    assert bad.status_code == 200 and 'class="error-summary"' in bad.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()

    done = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert done["Location"] == "/accounts/2fa/recovery-codes/"
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    codes_page = main_of(client.get("/accounts/2fa/recovery-codes/"))
    rc = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    codes = rc.wrap().get_unused_codes()
    assert len(codes) == settings.MFA_RECOVERY_CODE_COUNT
    assert all(code in codes_page for code in codes)
    assert "<script" not in codes_page
    assert client.get("/dashboard/").status_code == 200


def test_changing_an_authenticator_later_still_asks_for_the_password(client):
    user = UserFactory(role=Role.FUND_ADMIN)
    secret = enrol_totp(user)
    client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    client.post(MFA, {"code": totp_code(secret)})
    response = client.get("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")


def test_sign_in_pages_in_spanish_use_allauth_translations(client):
    user = UserFactory(role=Role.PROVIDER_ADMIN)
    secret = enrol_totp(user)
    es = {"HTTP_ACCEPT_LANGUAGE": "es"}
    login = client.get(LOGIN, **es).content.decode()
    assert '<html lang="es">' in login
    assert "<h1>Acceso para el personal</h1>" in login  # ours
    assert "Correo electrónico" in login and "Contraseña" in login  # allauth's labels
    assert "¿Ha olvidado su contraseña?" in login

    client.post(LOGIN, {"login": user.email, "password": PASSWORD}, **es)
    page = client.get(MFA, **es).content.decode()
    assert "Autenticación de doble factor" in page  # allauth's heading
    assert "Código del autenticador" in page
    wrong = client.post(MFA, {"code": "000000"}, **es).content.decode()
    assert "Código incorrecto." in wrong
    assert "Hay un problema" in wrong
    assert client.post(MFA, {"code": totp_code(secret)}, **es)["Location"] == "/dashboard/"

    logout = client.get("/accounts/logout/", **es).content.decode()
    assert "Cerrar sesión" in logout


def test_wrong_passwords_are_refused_then_locked_out_by_axes(client, caplog):
    caplog.set_level(logging.INFO)
    user = UserFactory(role=Role.ATTORNEY)
    enrol_totp(user)
    limit = settings.AXES_FAILURE_LIMIT
    for attempt in range(1, limit):
        response = client.post(LOGIN, {"login": user.email, "password": f"wrong-{attempt}"})
        assert response.status_code == 200
        assert 'class="error-summary"' in response.content.decode()

    locked = client.post(LOGIN, {"login": user.email, "password": "wrong-last"})
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()

    # Even the right password is refused now, and nothing is signed in. (allauth's own rate
    # limit, kept in the cache, would refuse too; clear it to see that axes holds the lock.)
    cache.clear()
    again = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session

    # Axes counts under a keyed digest: the table holds no email and no password.
    attempt = AccessAttempt.objects.get()
    assert attempt.failures_since_start >= limit
    assert user.email not in attempt.username and user.email not in attempt.post_data
    assert PASSWORD not in attempt.post_data and "wrong-" not in attempt.post_data

    # Another person at the same address is not locked out.
    other = UserFactory(role=Role.DONOR)
    assert client.post(LOGIN, {"login": other.email, "password": PASSWORD}).status_code == 302

    log = _all_log_text(caplog)
    assert log.count("sign-in failed") >= limit
    assert user.email not in log and "wrong-" not in log and PASSWORD not in log


def test_a_failed_sign_in_for_an_unknown_email_logs_nothing_protected(client, caplog):
    caplog.set_level(logging.DEBUG)
    typed = "someone.else@example.net"
    response = client.post(LOGIN, {"login": typed, "password": "a-guess-at-a-password"})
    assert response.status_code == 200
    log = _all_log_text(caplog)
    assert "sign-in failed" in log
    assert typed not in log and "a-guess-at-a-password" not in log


def test_sign_out_ends_the_session_and_is_logged(client, caplog):
    caplog.set_level(logging.INFO)
    user = UserFactory(role=Role.DONOR)
    client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert client.get("/dashboard/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/dashboard/")["Location"].startswith(LOGIN)
    assert f"sign-out user_id={user.pk}" in _all_log_text(caplog)


def test_password_reset_by_email(client, mailoutbox):
    user = UserFactory(role=Role.BOARD_MEMBER)
    enrol_totp(user)
    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response["Location"] == "/accounts/password/reset/done/"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [user.email]
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mailoutbox[0].body)
    assert link
    form_url = client.get(link.group(1))["Location"]  # the key moves out of the address
    assert "set-password" in form_url
    page = client.get(form_url)
    assert '<label for="id_password1">' in page.content.decode()

    short = client.post(form_url, {"password1": "short", "password2": "short"})
    assert short.status_code == 200 and 'class="error-summary"' in short.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD), "nothing saved on bad input"

    new = "a-brand-new-long-passphrase"
    done = client.post(form_url, {"password1": new, "password2": new})
    assert done["Location"] == "/accounts/password/reset/key/done/"
    user.refresh_from_db()
    assert user.check_password(new)
    fresh = Client()
    assert fresh.post(LOGIN, {"login": user.email, "password": new})["Location"] == MFA


def test_signing_up_is_closed(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    assert b"id_password1" not in response.content
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": "x" * 20, "password2": "x" * 20},
    )
    from amparo.accounts.models import User

    assert not User.objects.filter(email="new@example.org").exists()


def test_the_session_table_keeps_no_typed_address_after_a_password_sign_in():
    user = UserFactory(role=Role.FUND_ADMIN, email="typed.address@example.org")
    secret = enrol_totp(user)
    client = Client()
    client.post(LOGIN, {"login": "typed.address@example.org", "password": PASSWORD})
    client.post(MFA, {"code": totp_code(secret)})
    assert client.get("/dashboard/").status_code == 200

    stored = Session.objects.get(session_key=client.session.session_key)
    records = stored.get_decoded()["account_authentication_methods"]
    assert [r["method"] for r in records] == ["password", "mfa"]
    assert "typed.address" not in stored.session_data.lower()
    assert "typed.address" not in repr(stored.get_decoded()).lower()
