"""Rate limits: the database counter, the decorator for public forms, the API and sign-in."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client, override_settings

from amparo.accounts.roles import Role
from amparo.accounts.services import api_token_create
from amparo.core.models import RateLimitWindow
from amparo.core.ratelimit import (
    Rate,
    bucket_for,
    check,
    hit,
    purge_rate_limit_windows,
    rate_limit,
    ratelimit_purge_expired,
)
from tests.clock import frozen
from tests.security import urls as test_urls

pytestmark = [pytest.mark.django_db, frozen]

T0 = 1_800_000_000.0  # a fixed moment, on a minute and hour boundary


@pytest.fixture(autouse=True)
def _fresh_allauth_counters() -> Iterator[None]:
    """allauth keeps its own limits in the cache: start and end each test with none."""
    cache.clear()
    yield
    cache.clear()


# --- Rates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "limit", "period"),
    [
        ("10/m", 10, 60),
        ("5/15m", 5, 900),
        ("100/h", 100, 3600),
        ("3/30s", 3, 30),
        ("1000/d", 1000, 86400),
    ],
)
def test_rates_are_read_from_short_strings(text: str, limit: int, period: int) -> None:
    assert Rate.parse(text) == Rate(limit=limit, period=period)


@pytest.mark.parametrize("text", ["", "10", "10/x", "0/m", "-1/m", "ten/m", "10/0m", "10/m/ip"])
def test_bad_rates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Rate.parse(text)


def test_a_typo_in_a_decorator_fails_at_import_time_not_on_a_request() -> None:
    with pytest.raises(ValueError):
        rate_limit("x", per_ip="10/minute")


# --- The counter -------------------------------------------------------------------------------


def test_hits_count_within_a_fixed_window_and_restart_in_the_next() -> None:
    rate = Rate(limit=3, period=60)
    assert [hit(scope="s", bucket="b", rate=rate, now=T0 + i)[0] for i in range(4)] == [1, 2, 3, 4]
    assert hit(scope="s", bucket="b", rate=rate, now=T0 + 59.5) == (5, 1)
    assert hit(scope="s", bucket="b", rate=rate, now=T0 + 60)[0] == 1  # the next window
    assert hit(scope="other", bucket="b", rate=rate, now=T0)[0] == 1  # scopes are separate
    assert hit(scope="s", bucket="c", rate=rate, now=T0)[0] == 1  # buckets are separate


def test_check_refuses_over_the_limit_and_says_when_to_come_back() -> None:
    rate = Rate(limit=2, period=60)
    decisions = [check("s", [("b", rate)], now=T0 + 10) for _ in range(3)]
    assert [d.allowed for d in decisions] == [True, True, False]
    assert decisions[2].retry_after == 50
    # one bucket over its limit refuses the request even if the other has room
    roomy = Rate(limit=100, period=3600)
    assert not check("s", [("b", rate), ("wide", roomy)], now=T0 + 20).allowed
    assert check("s", [("b", rate), ("wide", roomy)], now=T0 + 61).allowed


def test_counting_without_returning_also_works(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite before 3.35 has no RETURNING: the fallback reads the count in the same transaction."""
    monkeypatch.setattr(connection.features, "can_return_columns_from_insert", False)
    rate = Rate(limit=3, period=60)
    assert [hit(scope="s", bucket="old", rate=rate, now=T0)[0] for _ in range(3)] == [1, 2, 3]


def test_buckets_are_keyed_hashes_without_personal_data() -> None:
    ip = "203.0.113.77"
    bucket = bucket_for("ip", ip)
    assert len(bucket) == 64
    assert bucket != bucket_for("ip", "203.0.113.78")
    with override_settings(SECRET_KEY="another-secret-key-for-this-test-only-0123456789"):
        assert bucket_for("ip", ip) != bucket  # useless without the server's secret
    hit(scope="help-submit", bucket=bucket, rate=Rate(1, 60), now=T0)
    row = RateLimitWindow.objects.get()
    stored = " ".join(str(v) for v in RateLimitWindow.objects.values_list().get())
    assert ip not in stored and "203.0.113" not in stored
    assert row.scope == "help-submit"


def test_expired_windows_are_purged_by_the_task_and_on_their_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rate = Rate(limit=5, period=60)
    now = time.time()
    hit(scope="s", bucket="older", rate=rate, now=now - 7200)
    hit(scope="s", bucket="old", rate=rate, now=now - 3600)
    hit(scope="s", bucket="current", rate=rate, now=now)
    assert ratelimit_purge_expired(now=now - 5000) == 1
    assert set(RateLimitWindow.objects.values_list("bucket", flat=True)) == {"old", "current"}
    # the periodic task (run at once by the test queue) purges what has ended by now
    result = purge_rate_limit_windows.enqueue()
    assert result.return_value == 1
    assert list(RateLimitWindow.objects.values_list("bucket", flat=True)) == ["current"]
    # hits purge by themselves now and then (here: every time)
    monkeypatch.setattr("amparo.core.ratelimit.PURGE_ONE_IN", 1)
    hit(scope="s", bucket="late", rate=rate, now=now + 600)
    assert list(RateLimitWindow.objects.values_list("bucket", flat=True)) == ["late"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_threads_neither_lose_nor_double_count() -> None:
    rate = Rate(limit=25, period=3600)
    allowed: list[bool] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(10):
                decision = check("race", [("shared", rate)], now=T0)
                with lock:
                    allowed.append(decision.allowed)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert RateLimitWindow.objects.get(scope="race").count == 80
    assert allowed.count(True) == 25


WORKER = textwrap.dedent(
    """
    import django, sys
    django.setup()
    from amparo.core.ratelimit import Rate, check
    rate = Rate(limit=30, period=3600)
    ok = sum(check("processes", [("shared", rate)], now=1_800_000_000.0).allowed for _ in range(20))
    print(ok)
    """
)


@pytest.mark.django_db(transaction=True)
def test_separate_processes_share_the_counters() -> None:
    """What several gunicorn workers do: each process counts in the same table."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{db['NAME']}"
    else:
        host = db["HOST"] or "127.0.0.1"
        url = f"postgres://{db['USER']}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER],
            cwd=Path(settings.BASE_DIR),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert all(p.returncode == 0 for p in processes), [err for _out, err in outputs]
    allowed = sum(int(out.strip().splitlines()[-1]) for out, _err in outputs)
    assert RateLimitWindow.objects.get(scope="processes").count == 80
    assert allowed == 30


# --- The decorator on a public form ---------------------------------------------------------------


@pytest.fixture
def limited_form_calls() -> Iterator[list[str]]:
    test_urls.FORM_CALLS.clear()
    yield test_urls.FORM_CALLS
    test_urls.FORM_CALLS.clear()


@override_settings(ROOT_URLCONF="tests.security.urls")
def test_public_form_refuses_the_fourth_post_with_a_translated_page(
    limited_form_calls: list[str],
) -> None:
    client = Client()
    for answer in ("a", "b", "c"):
        assert client.post("/__tests__/limited-form/", {"answer": answer}).status_code == 200
    assert client.get("/__tests__/limited-form/").status_code == 200  # showing the form is free
    refused = client.post("/__tests__/limited-form/", {"answer": "d"}, HTTP_ACCEPT_LANGUAGE="es")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    html = refused.content.decode()
    assert "Demasiadas solicitudes" in html
    assert "la última no se guardó ni se envió" in html
    assert '<html lang="es">' in html
    assert "Content-Security-Policy" in refused
    assert limited_form_calls == ["a", "b", "c"]  # the refused POST never reached the view


@override_settings(ROOT_URLCONF="tests.security.urls")
def test_public_form_limits_each_address_separately(limited_form_calls: list[str]) -> None:
    client = Client()
    for _ in range(3):
        client.post("/__tests__/limited-form/", REMOTE_ADDR="198.51.100.1")
    assert client.post("/__tests__/limited-form/", REMOTE_ADDR="198.51.100.1").status_code == 429
    assert client.post("/__tests__/limited-form/", REMOTE_ADDR="198.51.100.2").status_code == 200
    # IPv6: one /64 network is one client
    for i in range(3):
        client.post("/__tests__/limited-form/", REMOTE_ADDR=f"2001:db8::{i + 1}")
    assert client.post("/__tests__/limited-form/", REMOTE_ADDR="2001:db8::ffff").status_code == 429


@override_settings(
    ROOT_URLCONF="tests.security.urls", AMPARO_RATE_LIMITS={"test-form": {"per_ip": "1/m"}}
)
def test_settings_override_a_decorators_default(limited_form_calls: list[str]) -> None:
    client = Client()
    assert client.post("/__tests__/limited-form/").status_code == 200
    assert client.post("/__tests__/limited-form/").status_code == 429


@override_settings(ROOT_URLCONF="tests.security.urls", ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_the_forwarded_address_counts(limited_form_calls: list[str]) -> None:
    client = Client()
    for _ in range(3):
        client.post("/__tests__/limited-form/", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert (
        client.post("/__tests__/limited-form/", HTTP_X_FORWARDED_FOR="198.51.100.9").status_code
        == 429
    )
    assert (
        client.post("/__tests__/limited-form/", HTTP_X_FORWARDED_FOR="198.51.100.10").status_code
        == 200
    )


# --- The API ----------------------------------------------------------------------------------------


@override_settings(AMPARO_RATE_LIMITS={"api": {"per_user": "3/m", "per_ip": "1000/m"}})
def test_api_is_limited_per_user_with_a_json_429(make_user: Any, client: Client) -> None:
    user = make_user(Role.FUND_ADMIN)
    _t1, first = api_token_create(user=user, name="one")
    _t2, second = api_token_create(user=user, name="two")
    for raw in (first, second, first):
        assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    # a second token of the same person does not double the budget
    refused = client.get(
        "/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {second}", HTTP_ACCEPT_LANGUAGE="es"
    )
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json() == {"detail": refused.json()["detail"]}
    assert "Demasiadas solicitudes" in refused.json()["detail"]
    # someone else, from the same address, is not held up
    _t3, other = api_token_create(user=make_user(Role.INTAKE_WORKER), name="other")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 200


@override_settings(AMPARO_RATE_LIMITS={"api": {"per_ip": "2/m"}})
def test_api_is_limited_per_address_even_without_a_valid_token(client: Client) -> None:
    for _ in range(2):
        assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer amp_guess").status_code == 401
    refused = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer amp_guess")
    assert refused.status_code == 429
    assert "detail" in refused.json()
    assert client.get("/api/v1/me", REMOTE_ADDR="198.51.100.3").status_code == 401


# --- Sign-in ------------------------------------------------------------------------------------------


def _sign_in(client: Client, email: str, password: str, **extra: Any) -> Any:
    return client.post("/accounts/login/", {"login": email, "password": password}, **extra)


@override_settings(AXES_ENABLED=False)
def test_allauth_stops_one_address_guessing_a_password_even_the_right_one(
    make_user: Any, password: str
) -> None:
    user = make_user(Role.FUND_ADMIN)
    client = Client()
    for _ in range(10):
        assert _sign_in(client, user.email, "not-the-password").status_code == 200
    blocked = _sign_in(client, user.email, password)
    assert blocked.status_code == 200  # the form again, with an error ...
    assert "Too many failed login attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client.session  # ... and nobody signed in


def test_sign_in_after_failures_is_refused_with_axes_on_too(make_user: Any, password: str) -> None:
    user = make_user(Role.FUND_ADMIN)
    client = Client()
    statuses = [_sign_in(client, user.email, "not-the-password").status_code for _ in range(6)]
    assert 429 in statuses  # the lockout page
    assert _sign_in(client, user.email, password).status_code != 302
    assert "_auth_user_id" not in client.session


@override_settings(ACCOUNT_RATE_LIMITS={"login": "2/m/ip", "login_failed": False})
def test_allauths_own_429_is_our_translated_page(make_user: Any) -> None:
    user = make_user(Role.FUND_ADMIN)
    client = Client()
    for _ in range(2):
        _sign_in(client, user.email, "not-the-password")
    refused = _sign_in(client, user.email, "not-the-password", HTTP_ACCEPT_LANGUAGE="es")
    assert refused.status_code == 429
    assert "Demasiadas solicitudes" in refused.content.decode()
    assert refused["Retry-After"] == "60"


@override_settings(AMPARO_RATE_LIMITS={"sign-in": {"per_ip": "3/m"}}, AXES_ENABLED=False)
def test_sign_in_posts_share_a_database_limit_per_address(make_user: Any) -> None:
    users = [make_user(Role.FUND_ADMIN) for _ in range(4)]
    client = Client()
    # spread over several accounts, so neither allauth's per-account nor axes' limit applies
    for user in users[:3]:
        assert _sign_in(client, user.email, "not-the-password").status_code == 200
    refused = _sign_in(client, users[3].email, "not-the-password")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert RateLimitWindow.objects.filter(scope="sign-in").get().count == 4
    assert client.get("/accounts/login/").status_code == 200  # reading the page is not limited
