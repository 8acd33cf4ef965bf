"""Every staff role enrols in multi-factor authentication before any non-public page."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

#: Paths a signed-in staff member without MFA may still reach: enrolment itself, sign-out,
#: the language switcher, static files, health, and the public pages.
ALLOWED_PREFIXES: tuple[str, ...] = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/i18n/",
    "/static/",
    "/healthz",
    "/.well-known/",
    "/api/",  # the API answers 401/403 itself; tokens are for enrolled users only
)
PUBLIC_EXACT: frozenset[str] = frozenset({"/"})


def user_has_mfa(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    return bool(Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists())


class RequireMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "is_staff_role", False)
            and not self._allowed(request.path)
            and not user_has_mfa(user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        if path in PUBLIC_EXACT:
            return True
        return any(path.startswith(p) for p in ALLOWED_PREFIXES) or _is_public_path(path)


def _is_public_path(path: str) -> bool:
    from django.conf import settings

    return any(path.startswith(p) for p in settings.AMPARO_PUBLIC_PREFIXES)
