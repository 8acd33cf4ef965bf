"""Sign-in, sign-out and failures are logged, with no password and no protected data."""

from __future__ import annotations

import logging
from typing import Any

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.signals import authentication_step_completed, password_reset
from allauth.mfa.signals import authentication_failed
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("amparo.auth")


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    logger.info("sign-in user_id=%s", getattr(user, "pk", None))


#: What allauth notes beside each way a session signed in that a person typed: not kept.
_TYPED_KEYS = frozenset({"email", "username", "phone"})


@receiver(authentication_step_completed)
def _forget_what_was_typed(sender: Any, request: Any, **kwargs: Any) -> None:
    """allauth notes in the session how it signed in, with the address typed; the session table
    would then hold every address that signed in, readable (base64). Only the method and the
    time are ever read back (reauthentication, the MFA enrolment window), so only they stay."""
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY)
    if records:
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {key: value for key, value in record.items() if key not in _TYPED_KEYS}
            for record in records
        ]


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    logger.info("sign-out user_id=%s", getattr(user, "pk", None))


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # The attempted email is not logged: it may belong to someone who is not a user.
    logger.warning("sign-in failed")


@receiver(authentication_failed)
def _second_step_failed(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    # The password was right but the authenticator code was not: the account is known.
    logger.warning("sign-in code rejected user_id=%s", getattr(user, "pk", None))


@receiver(password_reset)
def _password_set_by_link(
    sender: Any, request: Any = None, user: Any = None, **kwargs: Any
) -> None:
    from .services import email_verify_on_password_set, user_credentials_revoke

    if user is not None:
        verified = email_verify_on_password_set(user=user)
        logger.info("password set by emailed link user_id=%s verified=%s", user.pk, verified)
        # Whoever knew the old password may have made tokens and feeds: none survive the reset.
        # (allauth sends its "password reset" email after this signal; the email says so.)
        user_credentials_revoke(user=user, by=user, reason="password reset")
        # A reset is the way back in for someone locked out by another's wrong passwords.
        from .lockout import lockout_reset_for_user

        lifted = lockout_reset_for_user(user)
        if lifted:
            logger.info("sign-in lock lifted by password reset user_id=%s", user.pk)


@receiver(user_locked_out)
def _locked_out(
    sender: Any, request: Any = None, username: str | None = None, **kwargs: Any
) -> None:
    from .lockout import _typed_login, lockout_notice_send

    if request is None or not username:
        return
    typed = _typed_login(request, getattr(request, "axes_credentials", None))
    if lockout_notice_send(request, typed, username):
        logger.warning("sign-in locked; the account holder was told")
