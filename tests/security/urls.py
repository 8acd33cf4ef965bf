"""The project's URLs plus a few views that only tests need (errors, a nonce, a limited form).

Use with ``@override_settings(ROOT_URLCONF="tests.security.urls")``.
"""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import engines
from django.urls import path

from amparo.core.ratelimit import rate_limit
from config import urls as project

#: What the limited view did: a rate-limited request must never get here.
FORM_CALLS: list[str] = []


def boom(request: HttpRequest) -> HttpResponse:
    secret_note = " ".join(["Ana", "Lopez"])  # a local variable the error report must hide
    raise RuntimeError(f"boom for ana.lopez@example.org A-123-456-789 {len(secret_note)}")


def bad_request(request: HttpRequest) -> HttpResponse:
    raise BadRequest("bad")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


_NONCE_PAGE = engines["django"].from_string(
    """{% extends "base.html" %}{% block content %}<p>nonce page</p>
<script nonce="{{ request.csp_nonce }}">document.documentElement.dataset.ok = "1";</script>
{% endblock %}"""
)


def nonce_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_NONCE_PAGE.render({}, request))


@rate_limit("test-form", per_ip="3/m")
def limited_form(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        FORM_CALLS.append(request.POST.get("answer", ""))
    return render(request, "core/home.html")


urlpatterns = [
    *project.urlpatterns,
    path("__tests__/boom/", boom),
    path("__tests__/bad-request/", bad_request),
    path("__tests__/forbidden/", forbidden),
    path("__tests__/nonce/", nonce_page),
    path("__tests__/limited-form/", limited_form),
]

handler400 = project.handler400
handler403 = project.handler403
handler404 = project.handler404
handler500 = project.handler500
handler429 = project.handler429
