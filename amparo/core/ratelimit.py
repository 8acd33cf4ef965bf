"""Rate limits that hold across worker processes and machines, on SQLite and on PostgreSQL.

Each limit is a fixed window counted in the database (``RateLimitWindow``) with one atomic
statement, ``INSERT ... ON CONFLICT DO UPDATE SET count = count + 1 RETURNING count``, so
several gunicorn workers (or several machines) share the same counters without Redis.
Buckets are keyed hashes of the IP address, user id or token: no personal data is stored.

Three ways in:

- ``@rate_limit("help-submit", per_ip="10/m")`` on a view (public forms): POSTs over the
  limit get a translated 429 page with ``Retry-After``.
- ``RateLimitMiddleware``: the API under ``/api/`` (per IP and per user or token, JSON 429)
  and the POSTs of the sign-in flows (per IP), on top of allauth's own per-process limits.
- ``too_many_requests_view``: ``handler429`` in ``config/urls.py``, so allauth's own limits
  answer with the same translated page.

Every limit can be changed without code through ``settings.AMPARO_RATE_LIMITS``:
``{"help-submit": {"per_ip": "20/m"}}`` overrides the decorator's default for that scope.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import math
import random
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import engines
from django.urls import NoReverseMatch, reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from amparo.accounts.services import api_token_find

from .models import RateLimitWindow

logger = logging.getLogger("amparo.ratelimit")

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

#: One hit in this many also deletes expired windows, so the table stays small even when no
#: worker runs ``purge_rate_limit_windows``.
PURGE_ONE_IN = 500

#: URL names whose POSTs are limited per IP by ``RateLimitMiddleware`` (scope "sign-in"):
#: every step where someone could guess a password, a code or a reset key.
SIGN_IN_URL_NAMES: frozenset[str] = frozenset(
    {
        "account_login",
        "account_confirm_login_code",
        "account_reset_password",
        "account_reset_password_from_key",
        "account_reauthenticate",
        "mfa_authenticate",
        "mfa_reauthenticate",
    }
)

#: Defaults per scope; ``settings.AMPARO_RATE_LIMITS`` overrides them key by key.
DEFAULT_LIMITS: dict[str, dict[str, str]] = {
    "api": {"per_ip": "600/m", "per_user": "300/m"},
    "sign-in": {"per_ip": "30/m"},
}


@dataclass(frozen=True)
class Rate:
    """``limit`` hits per ``period`` seconds."""

    limit: int
    period: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """Read ``"10/m"``, ``"5/5m"``, ``"100/h"``, ``"3/30s"`` or ``"1000/d"``."""
        match = _RATE.match(text)
        if match is None:
            raise ValueError(f"Not a rate: {text!r} (expected e.g. '10/m' or '5/15m')")
        limit, multiple, unit = int(match[1]), int(match[2] or 1), match[3]
        if limit < 1 or multiple < 1:
            raise ValueError(f"Not a rate: {text!r} (limit and period must be positive)")
        return cls(limit=limit, period=multiple * _UNITS[unit])

    def __str__(self) -> str:
        return f"{self.limit}/{self.period}s"


@dataclass(frozen=True)
class Decision:
    """The outcome of one request: allowed, or refused for ``retry_after`` more seconds."""

    allowed: bool
    retry_after: int = 0


def bucket_for(kind: str, value: str) -> str:
    """A keyed hash of ``value``: stable across processes, useless without the secret key."""
    return salted_hmac("amparo.core.ratelimit", f"{kind}:{value}", algorithm="sha256").hexdigest()


def _table() -> str:
    return connection.ops.quote_name(RateLimitWindow._meta.db_table)


def hit(*, scope: str, bucket: str, rate: Rate, now: float | None = None) -> tuple[int, int]:
    """Count one hit on ``bucket`` in its current window, atomically.

    Returns ``(count, seconds_left)``: the window's count including this hit, and the whole
    seconds until the window ends. Correct under concurrency from any number of processes:
    the increment is a single upsert, which both SQLite (3.24+) and PostgreSQL serialize.
    """
    moment = time.time() if now is None else now
    window_start = int(moment // rate.period) * rate.period
    window_end = window_start + rate.period
    table = _table()
    count_col = connection.ops.quote_name("count")
    upsert = (
        f"INSERT INTO {table} (scope, bucket, window_start, expires_at, {count_col}) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, 1) "
        "ON CONFLICT (scope, bucket, window_start) "
        f"DO UPDATE SET {count_col} = {table}.{count_col} + 1"
    )
    params: list[str | int] = [scope, bucket, window_start, window_end]
    if connection.features.can_return_columns_from_insert:
        with connection.cursor() as cursor:
            cursor.execute(upsert + f" RETURNING {count_col}", params)
            count = int(cursor.fetchone()[0])
    else:
        # Old SQLite without RETURNING: the upsert takes the write lock, so a read in the same
        # transaction sees exactly this process's increment.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(upsert, params)
            count = RateLimitWindow.objects.values_list("count", flat=True).get(
                scope=scope, bucket=bucket, window_start=window_start
            )
    if random.randrange(PURGE_ONE_IN) == 0:
        ratelimit_purge_expired(now=moment)
    return count, max(1, math.ceil(window_end - moment))


def check(scope: str, rules: Iterable[tuple[str, Rate]], *, now: float | None = None) -> Decision:
    """Count one hit on each ``(bucket, rate)``; refused if any bucket is over its limit.

    Every bucket is counted even when an earlier one already refuses, so a client that keeps
    hammering stays refused until each of its windows has passed.
    """
    retry_after = 0
    # One transaction for every bucket: one commit (one turn of SQLite's write lock) per request.
    with transaction.atomic():
        for bucket, rate in rules:
            count, seconds_left = hit(scope=scope, bucket=bucket, rate=rate, now=now)
            if count > rate.limit:
                retry_after = max(retry_after, seconds_left)
    return Decision(allowed=retry_after == 0, retry_after=retry_after)


def ratelimit_purge_expired(*, now: float | None = None) -> int:
    """Delete windows that ended; returns how many rows went."""
    moment = int(time.time() if now is None else now)
    deleted, _by_model = RateLimitWindow.objects.filter(expires_at__lte=moment).delete()
    return deleted


@task()
def purge_rate_limit_windows() -> int:
    """Periodic cleanup for the worker; hits also purge now and then on their own."""
    return ratelimit_purge_expired()


def client_ip(request: HttpRequest) -> str:
    """The client's address as allauth sees it (``ALLAUTH_TRUSTED_PROXY_COUNT`` behind a proxy).

    IPv6 addresses are cut to their /64 network: one host usually owns the whole network.
    """
    from allauth.account.adapter import get_adapter

    try:
        raw = str(get_adapter(request).get_client_ip(request))
    except Exception:  # misconfigured proxy count or no address: fall back to the socket
        raw = request.META.get("REMOTE_ADDR", "") or "unknown"
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False).network_address)
    return str(address)


def lockout_client_ip(request: HttpRequest) -> str | None:
    """:func:`client_ip` for django-axes, whose log stores a real address (an ``inet`` column on
    PostgreSQL): None when the request carries none, never a placeholder like "unknown"."""
    raw = client_ip(request)
    try:
        ipaddress.ip_address(raw)
    except ValueError:
        return None
    return raw


def configured_rates(scope: str, **defaults: str | None) -> dict[str, Rate]:
    """The rates of ``scope``: code defaults, overridden by ``settings.AMPARO_RATE_LIMITS``."""
    merged: dict[str, str | None] = dict(DEFAULT_LIMITS.get(scope, {}))
    merged.update({kind: text for kind, text in defaults.items() if text})
    merged.update(getattr(settings, "AMPARO_RATE_LIMITS", {}).get(scope, {}))
    return {kind: Rate.parse(text) for kind, text in merged.items() if text}


def _user_key(request: HttpRequest) -> str | None:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return str(user.pk)
    return None


# --- The 429 answer ---------------------------------------------------------------------------

_PAGE = """{% extends "base.html" %}
{% block title %}{{ title }}{% endblock %}
{% block content %}
<h1>{{ title }}</h1>
<p>{{ message }}</p>
<p>{{ wait }}</p>
<p><a href="{% url 'home' %}">{{ home }}</a></p>
{% endblock %}"""


@functools.cache
def _page_template() -> Any:
    return engines["django"].from_string(_PAGE)


def _wait_text(retry_after: int) -> str:
    if retry_after < 120:
        return ngettext(
            "Please wait %(count)d second, then try again.",
            "Please wait %(count)d seconds, then try again.",
            retry_after,
        ) % {"count": retry_after}
    minutes = math.ceil(retry_after / 60)
    return ngettext(
        "Please wait %(count)d minute, then try again.",
        "Please wait %(count)d minutes, then try again.",
        minutes,
    ) % {"count": minutes}


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    """429 with ``Retry-After``: JSON ``{"detail": ...}`` under /api/, a translated page elsewhere."""
    retry_after = max(1, int(retry_after))
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "detail": _("Too many requests. Try again in %(seconds)d seconds.")
                % {"seconds": retry_after}
            },
            status=429,
        )
    else:
        context = {
            "title": _("Too many requests"),
            "message": _(
                "You sent more requests than we can take in a short time, so the last one was "
                "not saved or sent on. Wait, then try again."
            ),
            "wait": _wait_text(retry_after),
            "home": _("Go to the home page"),
        }
        response = HttpResponse(_page_template().render(context, request), status=429)
    response["Retry-After"] = str(retry_after)
    return response


def too_many_requests_view(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    """``handler429``: allauth's own limits do not say when they end; a minute is their unit."""
    return too_many_requests(request, retry_after=60)


# --- The decorator for views ------------------------------------------------------------------

_View = TypeVar("_View", bound=Callable[..., HttpResponse])


def rate_limit(
    scope: str,
    *,
    per_ip: str | None = None,
    per_user: str | None = None,
    methods: Sequence[str] = ("POST",),
) -> Callable[[_View], _View]:
    """Limit a view: ``@rate_limit("help-submit", per_ip="10/m")``.

    Only the listed methods count (POST by default: showing a form is free, sending it is
    not). ``per_user`` applies to signed-in people; anonymous requests are limited per IP.
    A refused request gets a 429 and never reaches the view, so nothing is saved.
    """
    Rate.parse(per_ip) if per_ip else None  # fail at import time on a typo, not on a request
    Rate.parse(per_user) if per_user else None
    wanted = frozenset(m.upper() for m in methods)

    def decorator(view: _View) -> _View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in wanted:
                decision = check_request(request, scope, per_ip=per_ip, per_user=per_user)
                if not decision.allowed:
                    return too_many_requests(request, decision.retry_after)
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def check_request(
    request: HttpRequest,
    scope: str,
    *,
    per_ip: str | None = None,
    per_user: str | None = None,
    user_key: str | None = None,
) -> Decision:
    """Count this request against ``scope``'s per-IP and per-user rates."""
    rates = configured_rates(scope, per_ip=per_ip, per_user=per_user)
    rules: list[tuple[str, Rate]] = []
    if "per_ip" in rates:
        rules.append((bucket_for("ip", client_ip(request)), rates["per_ip"]))
    key = user_key if user_key is not None else _user_key(request)
    if "per_user" in rates and key is not None:
        rules.append((bucket_for("user", key), rates["per_user"]))
    if not rules:
        return Decision(allowed=True)
    decision = check(scope, rules)
    if not decision.allowed:
        # The scope and the path are not personal; the address and the user are not logged.
        logger.warning("rate limit hit scope=%s path=%s", scope, request.path)
    return decision


# --- The middleware: the API and the sign-in flows --------------------------------------------


def _api_user_key(request: HttpRequest) -> str | None:
    """Who is calling the API: the token's owner, else the token itself (hashed), else nobody."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, raw = header.partition(" ")
    raw = raw.strip()
    if scheme.lower() == "bearer" and raw:
        # The same lookup as the authentication's, kept on the request for it.
        token = api_token_find(raw=raw, request=request)
        if token is not None:
            return f"user:{token.user_id}"
        return "token:" + bucket_for("token", raw[:200])
    session_user = _user_key(request)
    return f"user:{session_user}" if session_user else None


@functools.cache
def _sign_in_paths() -> frozenset[str]:
    paths = set()
    for name in SIGN_IN_URL_NAMES:
        try:
            paths.add(reverse(name))
        except NoReverseMatch:  # needs arguments: matched by name below
            continue
    return frozenset(paths)


def _is_sign_in_step(request: HttpRequest) -> bool:
    """By path as well as by name: an app may serve the sign-in page with its own view."""
    match = request.resolver_match
    if match is not None and (
        match.url_name in SIGN_IN_URL_NAMES or match.view_name in SIGN_IN_URL_NAMES
    ):
        return True
    return request.path in _sign_in_paths()


class RateLimitMiddleware:
    """Limits for the API (every request) and for sign-in POSTs, shared by all workers.

    Place it after ``AuthenticationMiddleware`` and ``CsrfViewMiddleware`` (a forged POST is
    refused before it is counted) and after ``CSPMiddleware`` (its 429 pages get the policy).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            decision = check_request(request, "api", user_key=_api_user_key(request))
            if not decision.allowed:
                return too_many_requests(request, decision.retry_after)
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if request.method == "POST" and _is_sign_in_step(request):
            decision = check_request(request, "sign-in")
            if not decision.allowed:
                return too_many_requests(request, decision.retry_after)
        return None
