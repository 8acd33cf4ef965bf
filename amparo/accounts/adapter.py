from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from django.core.mail import EmailMessage
from django.http import HttpRequest

from amparo.core import identity


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    """Nobody signs themselves up: staff are invited by an administrator."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return "/dashboard/"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        super().send_mail(template_prefix, email, context)

    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        """Every allauth mail speaks as the fund, from its public address.

        allauth names the site after ``django.contrib.sites`` or the request's host ("Hello
        from 127.0.0.1"), and builds links on whatever host the request came in on. Here the
        site is the fund (``amparo.core.identity``) and every ``*_url`` in the context is
        re-rooted at ``AMPARO_SITE_URL``, so a mail reads the same whoever triggered it.
        """
        message: EmailMessage = super().render_mail(
            template_prefix, email, _as_the_fund(context), headers
        )
        return message

    def format_email_subject(self, subject: str) -> str:
        """``[Fund name] subject``: the reader sees who writes before opening the mail."""
        return f"[{identity.fund_name()}] {subject}"

    def get_from_email(self) -> str:
        """``Fund name <address>``, the same sender as every other mail of the fund."""
        return identity.sender()

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


@dataclass(frozen=True)
class FundSite:
    """What allauth's templates read from ``current_site``: the fund's name and public host."""

    name: str
    domain: str


def _as_the_fund(context: dict[str, Any]) -> dict[str, Any]:
    """``context`` with the fund as the site and every link on the public address."""
    fund = identity.fund_identity()
    named = {
        key: identity.absolute_url(value)
        for key, value in context.items()
        if key.endswith("_url") and isinstance(value, str) and value
    }
    return {
        **context,
        **named,
        "current_site": FundSite(name=fund.name, domain=fund.site_domain),
        "fund_name": fund.name,
        "site_url": fund.site_url,
    }


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
