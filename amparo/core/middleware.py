from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from amparo.core.logging import request_id_var

security_log = logging.getLogger("amparo.security")
_VALID_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class RequestIdMiddleware:
    """Give every request an id, or keep a well-formed one set by a proxy of ours.

    The id goes into log lines and audit events, so it is only taken from the request when
    ``AMPARO_TRUSTED_PROXIES`` says a proxy of ours sets it; a client talking to Amparo directly
    cannot choose the id its actions are recorded under.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        trusted = getattr(settings, "AMPARO_TRUSTED_PROXIES", 0) > 0
        incoming = request.headers.get("X-Request-Id", "") if trusted else ""
        rid = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = rid  # type: ignore[attr-defined]
        token = request_id_var.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-Id"] = rid
        return response


#: Sent with the response that signs someone out: the browser drops its cache, cookies and
#: storage for this site, so the next person at a shared computer finds nothing.
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), interest-cohort=()"


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class NoStoreMiddleware:
    """Pages for signed-in people must not be kept by the browser or any cache.

    Sits right after ``AuthenticationMiddleware`` so that it also sees the answers of the
    middleware below it (the MFA redirect, rate-limit refusals). A request that starts
    signed in and ends signed out was a sign-out: it gets ``Clear-Site-Data`` too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in_before = _signed_in(request)
        response = self.get_response(request)
        signed_in_after = _signed_in(request)
        if signed_in_before or signed_in_after or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
        if signed_in_before and not signed_in_after:
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class NotFoundForForbiddenMiddleware:
    """A page a person may not see answers exactly as a page that does not exist: 404.

    Services and access helpers raise ``PermissionDenied``; this is the one place that turns it
    into the site's 404 (views need no ``except`` of their own), so that neither the status nor
    the page tells a stranger whether a case, referral or grant exists.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, PermissionDenied):
            # The answer hides the refusal; the log keeps it, for whoever watches for probing.
            user = getattr(request, "user", None)
            security_log.warning(
                "refused %s %s user_id=%s",
                request.method,
                request.path,
                getattr(user, "pk", None) or "-",
            )
            raise Http404 from exception
        return None


class MethodNotAllowedPageMiddleware:
    """A page asked for with a method it does not take answers with the site's own 405 page.

    Django's ``require_http_methods`` answers 405 with an empty body, which a browser shows as a
    blank page in English-only browser chrome. Pages (not the API, whose errors have their own
    shape) get the translated page instead, keeping the ``Allow`` header.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or request.path.startswith("/api/"):
            return response
        if getattr(response, "streaming", False) or response.content:
            return response
        page = render(request, "errors/405.html", status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page
