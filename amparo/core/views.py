from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .dashboards import dashboard_context
from .identity import fund_name


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = dashboard_context(request.user)
    return render(request, "core/dashboard.html", context)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the task queue answer, 503 otherwise."""
    checks: dict[str, Any] = {}
    ok = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "error"
        ok = False
    try:
        from django_tasks_db.models import DBTaskResult

        checks["queue_ready"] = DBTaskResult.objects.filter(status="READY").count()
        checks["task_queue"] = "ok"
    except Exception:
        checks["task_queue"] = "error"
        ok = False
    checks["status"] = "ok" if ok else "error"
    return JsonResponse(checks, status=200 if ok else 503)


@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    contact = settings.AMPARO["SECURITY_CONTACT"]
    body = f"Contact: {contact}\nExpires: 2027-12-31T23:59:59Z\nPreferred-Languages: en, es\n"
    # Policy is optional (RFC 9116): named only when the fund publishes one somewhere real.
    policy = settings.AMPARO.get("SECURITY_POLICY_URL", "")
    if policy:
        body += f"Policy: {policy}\n"
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not Found"}, status=404)
    return render(request, "errors/404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Internal error"}, status=500)
    # The fund's name comes from the settings alone (no database), as the page must not fail.
    return render(request, "errors/500.html", {"fund_name": fund_name()}, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: the site's translated page, not Django's bare English one."""
    return render(request, "errors/403_csrf.html", status=403)
