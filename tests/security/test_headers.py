"""Security headers: CSP with nonces, HSTS and cookies in production, no-store, Clear-Site-Data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.utils import timezone

from amparo.accounts.roles import Role
from amparo.accounts.services import api_token_create
from amparo.core.middleware import CLEAR_SITE_DATA
from tests.clock import frozen
from tests.support.page_checks import inline_code_problems

pytestmark = [pytest.mark.django_db, frozen]

ROOT = Path(settings.BASE_DIR)


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_strict_csp(response: Any) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"no CSP on {response.request['PATH_INFO']}"
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    assert "*" not in header.replace("'", "")  # no wildcard sources
    d = csp_directives(header)
    assert d["default-src"] == ["'self'"]
    assert "'self'" in d["script-src"]
    assert d["frame-ancestors"] == ["'none'"]
    assert d["object-src"] == ["'none'"]
    assert d["base-uri"] == ["'none'"]
    assert d["form-action"] == ["'self'"]
    return d


# --- CSP on pages, including the sign-in page and every error page -------------------------


@override_settings(ROOT_URLCONF="tests.security.urls")
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/accounts/login/", 200),
        ("/accounts/password/reset/", 200),
        ("/no-such-page/", 404),
        ("/__tests__/bad-request/", 400),
        # PermissionDenied answers the site's 404 (NotFoundForForbiddenMiddleware); the 403 page
        # is the CSRF failure's, below.
        ("/__tests__/forbidden/", 404),
        ("/__tests__/boom/", 500),
    ],
)
def test_html_pages_and_error_pages_carry_a_strict_csp(path: str, status: int) -> None:
    client = Client(raise_request_exception=False)
    response = client.get(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert_strict_csp(response)
    assert (
        inline_code_problems(response.content.decode(), response["Content-Security-Policy"]) == []
    )


@override_settings(ROOT_URLCONF="tests.security.urls")
def test_csrf_failure_page_carries_a_strict_csp() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "x@example.org", "password": "y"})
    assert response.status_code == 403
    assert_strict_csp(response)


@override_settings(ROOT_URLCONF="tests.security.urls")
def test_inline_script_runs_only_with_this_responses_nonce() -> None:
    client = Client()
    first = client.get("/__tests__/nonce/")
    second = client.get("/__tests__/nonce/")
    nonce = csp_directives(first["Content-Security-Policy"])["script-src"]
    nonces = [v for v in nonce if v.startswith("'nonce-")]
    assert len(nonces) == 1
    value = nonces[0][len("'nonce-") : -1]
    assert f'nonce="{value}"' in first.content.decode()
    assert value not in second["Content-Security-Policy"]  # fresh for every response
    assert inline_code_problems(first.content.decode(), first["Content-Security-Policy"]) == []
    # The same page with a stale nonce would be blocked: the checker sees it.
    assert inline_code_problems(first.content.decode(), second["Content-Security-Policy"]) != []


def test_other_security_headers(client: Client) -> None:
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


# --- Production settings: HSTS, secure and SameSite cookies ----------------------------------


def _settings_values(module: str, names: list[str], **env: str) -> dict[str, Any]:
    """Import a settings module in a fresh interpreter with ``env`` and read some values."""
    code = (
        "import importlib, json, sys\n"
        "from django.conf import global_settings as g\n"
        f"m = importlib.import_module({module!r})\n"
        f"print(json.dumps({{n: getattr(m, n, getattr(g, n, None)) for n in {names!r}}}, default=str))\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AMPARO_"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    values: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return values


PRODUCTION_NAMES = [
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "LANGUAGE_COOKIE_SECURE",
    "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_NAME",
    "LANGUAGE_COOKIE_NAME",
    "MFA_TRUST_COOKIE_NAME",
    "SESSION_COOKIE_PATH",
    "CSRF_COOKIE_PATH",
    "LANGUAGE_COOKIE_PATH",
    "SESSION_COOKIE_DOMAIN",
    "CSRF_COOKIE_DOMAIN",
    "LANGUAGE_COOKIE_DOMAIN",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "ALLAUTH_TRUSTED_PROXY_COUNT",
    "DEBUG",
]


def test_production_settings_are_https_only_with_strict_cookies() -> None:
    values = _settings_values(
        "config.settings.production",
        PRODUCTION_NAMES,
        DJANGO_SECRET_KEY="x" * 60,
        DATABASE_URL="postgres://amparo@db.invalid:5432/amparo",
    )
    assert values["DEBUG"] is False
    assert values["SECURE_HSTS_SECONDS"] >= 31536000  # at least a year
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert values["LANGUAGE_COOKIE_SECURE"] is True
    # Every cookie is a "__Host-" cookie: Secure, Path=/, no Domain (ASVS 5.0 3.3.1).
    for kind in ("SESSION", "CSRF", "LANGUAGE"):
        assert values[f"{kind}_COOKIE_NAME"].startswith("__Host-"), kind
        assert values[f"{kind}_COOKIE_PATH"] == "/" and values[f"{kind}_COOKIE_DOMAIN"] is None
    assert values["MFA_TRUST_COOKIE_NAME"].startswith("__Host-")
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    # behind the HTTPS proxy, rate limits count the client's address, not the proxy's
    assert values["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1


def test_production_refuses_to_start_without_a_secret_key() -> None:
    code = "import config.settings.production"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AMPARO_"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


PRODUCTION_OVERRIDES = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_HSTS_SECONDS": 63072000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "LANGUAGE_COOKIE_SECURE": True,
}


@override_settings(**PRODUCTION_OVERRIDES)
def test_production_answers_with_hsts_and_sends_plain_http_to_https() -> None:
    client = Client()
    plain = client.get("/accounts/login/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/accounts/login/"
    secure = client.get("/accounts/login/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"
    # behind the proxy: X-Forwarded-Proto counts as HTTPS
    proxied = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200


@override_settings(**PRODUCTION_OVERRIDES)
def test_production_cookies_are_secure_httponly_and_samesite(make_user: Any, password: str) -> None:
    client = Client()
    page = client.get("/accounts/login/", secure=True)
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"
    user = make_user(Role.DONOR)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/dashboard/", secure=True)
    assert response.status_code == 200
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    language = client.post("/i18n/setlang/", {"language": "es", "next": "/"}, secure=True)
    assert language.cookies[settings.LANGUAGE_COOKIE_NAME]["secure"] is True


# --- Cache-Control: no-store -------------------------------------------------------------------


def test_signed_in_pages_and_the_mfa_redirect_are_not_stored(
    make_user: Any, client_for: Any
) -> None:
    client = client_for(make_user(Role.FUND_ADMIN))
    for path in ("/dashboard/", "/accounts/settings/", "/", "/no-such-page/"):
        response = client.get(path)
        assert response["Cache-Control"] == "no-store", path
    unenrolled = client_for(make_user(Role.INTAKE_WORKER, mfa=False)).get("/dashboard/")
    assert unenrolled.status_code == 302  # sent to enrol in MFA ...
    assert unenrolled["Cache-Control"] == "no-store"  # ... and that answer is not kept either


def test_the_api_is_never_stored(make_user: Any, client: Client) -> None:
    _token, raw = api_token_create(user=make_user(Role.FUND_ADMIN), name="t")
    ok = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert ok.status_code == 200
    assert ok["Cache-Control"] == "no-store"
    refused = client.get("/api/v1/me")
    assert refused.status_code == 401
    assert refused["Cache-Control"] == "no-store"


def test_public_pages_for_anonymous_visitors_may_be_cached(client: Client) -> None:
    assert "no-store" not in client.get("/").get("Cache-Control", "")


# --- Sign-out clears the browser ---------------------------------------------------------------


def test_sign_out_clears_site_data(make_user: Any, client_for: Any) -> None:
    client = client_for(make_user(Role.ATTORNEY))
    page = client.get("/dashboard/")
    assert page.status_code == 200
    assert "Clear-Site-Data" not in page  # only the sign-out itself clears
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == CLEAR_SITE_DATA == '"cache", "cookies", "storage"'
    assert response["Cache-Control"] == "no-store"
    assert client.get("/dashboard/").status_code == 302  # really signed out


def test_anonymous_sign_out_clears_nothing(client: Client) -> None:
    response = client.post("/accounts/logout/")
    assert "Clear-Site-Data" not in response


# --- Session idle timeout ----------------------------------------------------------------------


def test_idle_seconds_come_from_the_environment() -> None:
    values = _settings_values(
        "config.settings.base",
        ["SESSION_COOKIE_AGE", "SESSION_SAVE_EVERY_REQUEST", "SESSION_EXPIRE_AT_BROWSER_CLOSE"],
        AMPARO_SESSION_IDLE_SECONDS="600",
    )
    assert values == {
        "SESSION_COOKIE_AGE": 600,
        "SESSION_SAVE_EVERY_REQUEST": True,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
    }
    assert _settings_values("config.settings.base", ["SESSION_COOKIE_AGE"]) == {
        "SESSION_COOKIE_AGE": 30 * 60
    }


def _session(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_each_request_pushes_the_idle_deadline_forward(make_user: Any, client_for: Any) -> None:
    client = client_for(make_user(Role.INTAKE_WORKER))
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(seconds=60)
    )
    assert client.get("/dashboard/").status_code == 200
    remaining = _session(client).expire_date - timezone.now()
    assert timedelta(seconds=settings.SESSION_COOKIE_AGE - 30) < remaining
    assert remaining <= timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_a_session_idle_past_the_limit_is_signed_out(make_user: Any, client_for: Any) -> None:
    client = client_for(make_user(Role.INTAKE_WORKER))
    assert client.get("/dashboard/").status_code == 200
    # Nobody used the session for longer than AMPARO_SESSION_IDLE_SECONDS: its expiry passed.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/accounts/settings/").status_code == 302
    # ... and the API does not accept the old browser session either.
    assert client.get("/api/v1/me").status_code == 401
