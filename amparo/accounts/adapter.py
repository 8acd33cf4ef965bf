from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    """Nobody signs themselves up: staff are invited by an administrator."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return "/dashboard/"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        super().send_mail(template_prefix, email, context)

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """A first enrolment right after signing in with a password needs no second password.

        Staff are sent to enrol in two-step verification the moment they sign in. Asking again
        for the password they typed a minute ago helps no one, so within allauth's
        reauthentication window after a password sign-in, and only while every authenticator
        the account has was created after that sign-in (activating TOTP, then seeing the new
        recovery codes), no second password is asked. Anything else allauth guards still asks.
        """
        required = bool(super().is_reauthentication_required(app=app, **kwargs))
        if not required or app != "allauth.mfa":
            return required
        request = context.request
        return not (request is not None and _enrolling_after_password_sign_in(request))


def _enrolling_after_password_sign_in(request: HttpRequest) -> bool:
    from allauth.mfa.models import Authenticator

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    now = time.time()
    signed_in_at = [
        float(record.get("at", 0))
        for record in get_authentication_records(request, user)
        if record.get("method") == "password"
    ]
    if not signed_in_at or now - signed_in_at[-1] >= account_settings.REAUTHENTICATION_TIMEOUT:
        return False
    since = datetime.fromtimestamp(signed_in_at[-1], tz=UTC)
    return not Authenticator.objects.filter(user_id=user.pk, created_at__lt=since).exists()
