"""A signed-in session ends after a fixed time, however busy it is.

Sessions already end after 30 idle minutes (``SESSION_COOKIE_AGE`` with
``SESSION_SAVE_EVERY_REQUEST``). That alone lets a session kept busy (a tab that refreshes, a
stolen cookie used now and then) live forever; this middleware ends any signed-in session
``AMPARO_SESSION_ABSOLUTE_SECONDS`` after its first signed-in request (12 hours by default: a
long working day), and asks the person to sign in again.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

SIGNED_IN_AT = "amparo_signed_in_at"


def absolute_lifetime() -> int:
    return int(getattr(settings, "AMPARO_SESSION_ABSOLUTE_SECONDS", 12 * 3600))


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith("/api/"):
            return self.get_response(request)
        now = int(timezone.now().timestamp())
        started = request.session.get(SIGNED_IN_AT)
        if not isinstance(started, int):
            request.session[SIGNED_IN_AT] = now
        elif now - started >= absolute_lifetime():
            logout(request)
            messages.info(request, _("Your session ended after a long time. Please sign in again."))
            query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
            return redirect(reverse("account_login") + (f"?{query}" if query else ""))
        return self.get_response(request)
