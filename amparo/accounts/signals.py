"""Sign-in, sign-out and failures are logged, with no password and no protected data."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("amparo.auth")


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    logger.info("sign-in user_id=%s", getattr(user, "pk", None))


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    logger.info("sign-out user_id=%s", getattr(user, "pk", None))


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # The attempted email is not logged: it may belong to someone who is not a user.
    logger.warning("sign-in failed")
