"""Finding 1 of issue #15: a TOTP code works once, across every worker process.

allauth marks a used code in the cache, and keeps its rate limits there: a per-process cache
(Django's default) lets a second worker accept the same code again. The replay here comes from
a second Python process, sharing nothing with the test but the database (and Redis).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
import redis
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings

from amparo.accounts.roles import Role
from tests.clock import FROZEN_NOW
from tests.factories import PASSWORD, UserFactory, enrol_totp
from tests.support.totp import totp_code

LOGIN = "/accounts/login/"
MFA = "/accounts/2fa/authenticate/"
REDIS_URL = "redis://127.0.0.1:6379/15"

# The second process: signs in with the same password and code, at the same frozen instant,
# and prints where the code page sent it (or its status when it stayed).
_REPLAY = textwrap.dedent(
    """
    import json, sys
    import django, time_machine
    when, email, password, code = sys.argv[1:5]
    time_machine.travel(float(when), tick=False).start()
    django.setup()
    from django.test import Client
    c = Client()
    c.post("/accounts/login/", {"login": email, "password": password})
    r = c.post("/accounts/2fa/authenticate/", {"code": code})
    print(json.dumps({"status": r.status_code, "location": r.get("Location", "")}))
    """
)


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


def _replay_elsewhere(*, when: float, email: str, code: str, cache_url: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "AMPARO_CACHE_URL": cache_url,
    }
    done = subprocess.run(
        [sys.executable, "-c", _REPLAY, str(when), email, PASSWORD, code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def redis_db15():
    server = redis.Redis.from_url(REDIS_URL)
    server.flushdb()
    yield
    server.flushdb()


def _sign_in_then_replay(cache_url: str) -> None:
    user = UserFactory(role=Role.FUND_ADMIN)
    secret = enrol_totp(user)
    when = FROZEN_NOW.timestamp()
    with time_machine.travel(when, tick=False):
        code = totp_code(secret, at=when)
        first = Client()
        first.post(LOGIN, {"login": user.email, "password": PASSWORD})
        assert first.post(MFA, {"code": code})["Location"] == "/dashboard/"
        # The same process refuses it too (allauth's own check, with any cache).
        second = Client()
        second.post(LOGIN, {"login": user.email, "password": PASSWORD})
        assert second.post(MFA, {"code": code}).status_code == 200
    replay = _replay_elsewhere(when=when, email=user.email, code=code, cache_url=cache_url)
    assert replay == {"status": 200, "location": ""}, "another worker accepted a used code"


@pytest.mark.django_db(transaction=True)
def test_a_used_totp_code_is_refused_by_another_process_with_the_database_cache():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    cache.clear()
    _sign_in_then_replay(cache_url="")


@pytest.mark.django_db(transaction=True)
def test_a_used_totp_code_is_refused_by_another_process_with_redis(redis_db15):
    from config.settings.base import caches_from_url

    with override_settings(CACHES=caches_from_url(REDIS_URL)):
        assert cache.set("probe", 1) is None and cache.get("probe") == 1
        _sign_in_then_replay(cache_url=REDIS_URL)
