"""The key django-axes counts failed sign-ins under: a keyed digest, never the typed email.

Axes stores its key in the database and writes it into log lines. A typed email may belong to
someone who has no account (or be a password typed into the wrong box), so we give axes a
keyed HMAC of the normalized value instead: attempts for one address still add up, but the
lockout table and the logs hold nothing readable.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest

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


def login_digest(value: str) -> str:
    """A stable, keyed, non-reversible stand-in for a typed sign-in name."""
    normalized = value.strip().lower()
    mac = hmac.new(
        settings.SECRET_KEY.encode(), b"axes-login:" + normalized.encode(), hashlib.sha256
    )
    return "k:" + mac.hexdigest()[:32]


def lockout_key(
    request: HttpRequest | None, credentials: Mapping[str, Any] | None = None
) -> str | None:
    """``AXES_USERNAME_CALLABLE``: the digest of the typed sign-in name, or None if none."""
    typed = _typed_login(request, credentials)
    return login_digest(typed) if typed else None
