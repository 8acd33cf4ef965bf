"""Impact pages: public (suppressed, cached), board (suppressed), staff dashboard (filters)."""

from __future__ import annotations

import csv
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from amparo.audit.csv_export import neutralize
from amparo.core.terms import Custody
from amparo.ledger.currency import format_money
from amparo.organizations.models import GrantCategory

from . import metrics, presentation, snapshots
from .forms import FilterForm
from .permissions import can_view_board_report, can_view_dashboard
from .references import REFERENCES

PUBLIC_CACHE_SECONDS = 60
PUBLIC_CACHE_KEY = "reports:impact:published"
BOARD_CACHE_KEY = "reports:board:published"


def public_figures() -> presentation.Published:
    """The all-time figures behind /impact/: the worker's newest snapshot
    (:mod:`amparo.reports.snapshots`), kept in this process for a minute."""
    cached = cache.get(PUBLIC_CACHE_KEY)
    if cached is None:
        cached = snapshots.public_published()
        cache.set(PUBLIC_CACHE_KEY, cached, PUBLIC_CACHE_SECONDS)
    return cached  # type: ignore[no-any-return]


def board_figures() -> presentation.Published:
    """The board's protected figures (never noised), kept in this process for a minute."""
    published = cache.get(BOARD_CACHE_KEY)
    if published is None:
        published = presentation.publish(metrics.compute(), protect=True)
        cache.set(BOARD_CACHE_KEY, published, PUBLIC_CACHE_SECONDS)
    return published  # type: ignore[no-any-return]


@require_GET
def impact(request: HttpRequest) -> HttpResponse:
    context = presentation.context_for(public_figures())
    context["references"] = REFERENCES
    context["language"] = get_language()
    return render(request, "reports/impact.html", context)


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    context = _board_context(request)
    context["references"] = REFERENCES
    return render(request, "reports/board.html", context)


def _board_context(request: HttpRequest) -> dict[str, Any]:
    """The board's figures, for the people who may see them (404 for everyone else)."""
    if not can_view_board_report(request.user):
        raise Http404
    return presentation.context_for(board_figures())


def _csv_download(filename: str, rows: list[list[Any]]) -> HttpResponse:
    """``rows`` as a CSV attachment, each cell neutralized against spreadsheet formulas."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([neutralize(v) for v in row])
    return response


def _filtered(request: HttpRequest) -> tuple[FilterForm, dict[str, Any], int]:
    form = FilterForm(request.GET or None)
    filters = metrics.Filters()
    status = 200
    if form.is_bound:
        if form.is_valid():
            filters = form.filters()
        else:
            status = 400
    m = metrics.compute(filters)
    context = presentation.build(m, protect=False)
    custody_labels = dict(Custody.choices)
    category_labels = dict(GrantCategory.choices)
    currency = str(settings.AMPARO.get("CURRENCY", "USD"))
    context.update(
        {
            "form": form,
            "days_to_acceptance": [
                {
                    "custody": custody_labels.get(k, k),
                    "median": v["median"],
                    "p90": v["p90"],
                    "n": v["n"],
                }
                for k, v in m.days_to_acceptance.items()
            ],
            "active_per_attorney": presentation._percent(None)
            if m.active_per_attorney is None
            else number_format(m.active_per_attorney, decimal_pos=1),
            "cost_per_case": [
                {
                    "category": category_labels[cat],
                    "cases": m.cases_by_category.get(cat, 0),
                    "spent": format_money(m.spend_by_category.get(cat, 0), currency),
                    "per_case": None if cents is None else format_money(cents, currency),
                }
                for cat, cents in m.cost_per_case.items()
            ],
        }
    )
    return form, context, status


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    if not can_view_dashboard(request.user):
        raise Http404
    _form, context, status = _filtered(request)
    return render(request, "reports/dashboard.html", context, status=status)


@login_required
@require_GET
def board_csv(request: HttpRequest) -> HttpResponse:
    """The board's suppressed figures as CSV (no protected field exists in them)."""
    return _csv_download("impact.csv", presentation.csv_rows(_board_context(request)))


@login_required
@require_GET
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    """The dashboard's figures for the chosen slice as CSV (fund administrators; counts only)."""
    if not can_view_dashboard(request.user):
        raise Http404
    form, context, status = _filtered(request)
    if status != 200:
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(errors, status=status, content_type="text/plain; charset=utf-8")
    rows = presentation.csv_rows(context)
    for d in context["days_to_acceptance"]:
        rows.append([_("Days to acceptance, median: %(c)s") % {"c": d["custody"]}, d["median"]])
        rows.append(
            [_("Days to acceptance, 90th percentile: %(c)s") % {"c": d["custody"]}, d["p90"]]
        )
    rows.append([_("Active cases per attorney"), context["active_per_attorney"]])
    for c in context["cost_per_case"]:
        rows.append([_("Cost per case: %(c)s") % {"c": c["category"]}, c["per_case"] or ""])
    return _csv_download("impact-dashboard.csv", rows)
