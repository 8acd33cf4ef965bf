"""The books' pages. Fund administrators see everything; board members see the statements."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from amparo.audit.services import audit_record

from . import selectors
from .exports import beancount_lines, journal_csv_rows
from .forms import PeriodForm
from .permissions import can_view_books, can_view_statements


@login_required
@require_GET
def position(request: HttpRequest) -> HttpResponse:
    if not can_view_statements(request.user):
        raise Http404
    return render(
        request,
        "ledger/position.html",
        {
            "positions": selectors.financial_position(),
            "can_view_books": can_view_books(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def activities(request: HttpRequest) -> HttpResponse:
    if not can_view_statements(request.user):
        raise Http404
    form = PeriodForm(request.GET)
    statements = []
    if form.is_valid():
        statements = selectors.activities(
            start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
    return render(
        request,
        "ledger/activities.html",
        {"form": form, "statements": statements, "can_view_books": can_view_books(request.user)},
        status=200 if form.is_valid() else 400,
    )


@login_required
@require_GET
def trial_balance(request: HttpRequest) -> HttpResponse:
    if not can_view_books(request.user):
        raise Http404
    return render(
        request,
        "ledger/trial_balance.html",
        {
            "trial": selectors.trial_balance(),
            "counts": selectors.journal_counts(),
            "today": timezone.localdate(),
        },
    )


def _download(
    request: HttpRequest, rows: object, content_type: str, name: str
) -> StreamingHttpResponse:
    audit_record(
        actor=request.user,
        action="ledger.exported",
        object_type="ledger.journalentry",
        reason=f"{name} export",
    )
    response = StreamingHttpResponse(rows, content_type=content_type)  # type: ignore[arg-type]
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="ledger-{stamp}.{name}"'
    return response


@login_required
@require_GET
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    if not can_view_books(request.user):
        raise Http404
    return _download(request, journal_csv_rows(), "text/csv; charset=utf-8", "csv")


@login_required
@require_GET
def export_beancount(request: HttpRequest) -> StreamingHttpResponse:
    if not can_view_books(request.user):
        raise Http404
    return _download(request, beancount_lines(), "text/plain; charset=utf-8", "beancount")
