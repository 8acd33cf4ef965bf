"""The key django-axes counts failed sign-ins under: a keyed digest, never the typed email.

Axes stores its key in the database and writes it into log lines. A typed email may belong to
someone who has no account (or be a password typed into the wrong box), so we give axes a
keyed HMAC of the normalized value instead: attempts for one address still add up, but the
lockout table, the access log and the logs hold nothing readable. The HMAC key comes from the
vault's key provider (``purpose_key``), not from the SECRET_KEY, so a copy of the database and
the settings together cannot test a guessed address against the tables.

Axes writes its access log on a successful sign-in from ``user.get_username()`` (the email),
not from the username callable: :class:`LockoutHandler` hands it the digest instead.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.http import HttpRequest

from amparo.vault.keys import purpose_key

#: Credential keys that carry what the person typed as their sign-in name.
_LOGIN_KEYS = ("email", "login", "username")


def _typed_login(request: HttpRequest | None, credentials: Mapping[str, Any] | None) -> str:
    if credentials:
        for key in _LOGIN_KEYS:
            value = credentials.get(key)
            if value:
                return str(value)
    if request is not None:
        data = getattr(request, "data", None) or getattr(request, "POST", None) or {}
        value = data.get("login")
        if value:
            return str(value)
    return ""


class LoginDigest(str):
    """A digest already made by :func:`login_digest`.

    Axes passes the name it logged a sign-in under back through the username callable to reset
    the counts; the type (which nothing typed into a form can have) says not to digest it twice.
    """


def login_digest(value: str) -> LoginDigest:
    """A stable, keyed, non-reversible stand-in for a typed sign-in name."""
    normalized = value.strip().lower()
    mac = hmac.new(purpose_key("axes-login"), normalized.encode(), hashlib.sha256)
    return LoginDigest("k:" + mac.hexdigest()[:32])


def lockout_key(
    request: HttpRequest | None, credentials: Mapping[str, Any] | None = None
) -> str | None:
    """``AXES_USERNAME_CALLABLE``: the digest of the typed sign-in name, or None if none."""
    for key in _LOGIN_KEYS:
        value = (credentials or {}).get(key)
        if isinstance(value, LoginDigest):
            return value
    typed = _typed_login(request, credentials)
    return login_digest(typed) if typed else None


class _UnderDigest:
    """A user as axes' access log sees it: its sign-in name is the digest of its email."""

    def __init__(self, user: Any) -> None:
        self._user = user

    def get_username(self) -> LoginDigest:
        return login_digest(self._user.get_username())

    def __getattr__(self, name: str) -> Any:
        return getattr(self._user, name)


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """``AXES_HANDLER``: axes' database handler, with sign-ins and sign-outs logged (and the
    failure counts reset) under the digest rather than the email in the clear."""

    def user_logged_in(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        super().user_logged_in(sender, request, _UnderDigest(user), **kwargs)

    def user_logged_out(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        super().user_logged_out(sender, request, _UnderDigest(user) if user else None, **kwargs)


def _user_for_login(typed: str) -> Any | None:
    """The active account a typed sign-in name belongs to, if any (by any of its addresses)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    if not typed:
        return None
    normalized = typed.strip()
    found = EmailAddress.objects.filter(email__iexact=normalized).select_related("user").first()
    if found is not None:
        return found.user if found.user.is_active else None
    user_model = get_user_model()
    return user_model.objects.filter(email__iexact=normalized, is_active=True).first()


def lockout_notice_send(request: HttpRequest | None, typed: str, digest: str) -> bool:
    """Tell the account holder once per cool-off that sign-ins for them were locked.

    Nothing is sent for a name that has no account (the page looks the same either way). The
    mail says how to get back in at once: reset the password, which lifts the lock.
    """
    from allauth.account.adapter import get_adapter
    from django.contrib.sites.shortcuts import get_current_site
    from django.core.cache import cache
    from django.urls import reverse

    user = _user_for_login(typed)
    if user is None or not user.email:
        return False
    cooloff = int(float(settings.AXES_COOLOFF_TIME) * 3600) or 900
    if not cache.add(f"amparo:lockout-notice:{digest}", 1, timeout=cooloff):
        return False
    path = reverse("account_reset_password")
    reset_url = request.build_absolute_uri(path) if request is not None else path
    context = {
        "user": user,
        "email": user.email,
        "password_reset_url": reset_url,
        "cooloff_minutes": cooloff // 60,
        "current_site": get_current_site(request),
        "request": request,
    }
    get_adapter(request).render_mail("account/email/locked_out", user.email, context).send()
    return True


def lockout_reset_for_user(user: Any) -> int:
    """Lift every lock on the sign-in names of ``user`` (all addresses, every client address)."""
    from allauth.account.models import EmailAddress
    from axes.utils import reset

    emails = {user.email} | set(
        EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    )
    return sum(reset(username=login_digest(email)) for email in emails if email)
