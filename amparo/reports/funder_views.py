"""Funder reports: the grants a viewer may report on, a quarter picker, and the PDF.

Fund administrators and board members see every grant; a provider admin sees only their own
organization's (another's answers 404, like a missing one); nobody else sees the page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from amparo.grants.models import Award
from amparo.organizations.models import GrantCategory

from .funder import (
    Quarter,
    QuarterError,
    access_grant,
    can_open_funder_reports,
    check_quarter,
    funder_grant_list,
    funder_report,
    grant_quarters,
    quarter_label,
    quarters_between,
)
from .funder_pdf import filename, funder_report_pdf


def _grant_label(award: Award) -> str:
    application = award.application
    category = dict(GrantCategory.choices).get(application.category, application.category)
    return f"{application.organization.name} \u2014 {application.round.name} ({category})"


class FunderReportForm(forms.Form):
    """Pick a grant and a quarter; the quarter must fall within the grant."""

    grant = forms.TypedChoiceField(label=_("Grant"), coerce=int)
    quarter = forms.ChoiceField(
        label=_("Quarter"),
        help_text=_("Quarters run January to March, April to June, and so on."),
    )

    def __init__(self, *args: Any, grants: list[Award], quarters: list[Quarter], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.grants = {g.pk: g for g in grants}
        grant_field = self.fields["grant"]
        quarter_field = self.fields["quarter"]
        assert isinstance(grant_field, forms.ChoiceField)
        assert isinstance(quarter_field, forms.ChoiceField)
        grant_field.choices = [(g.pk, _grant_label(g)) for g in grants]
        quarter_field.choices = [(str(q), quarter_label(q)) for q in reversed(quarters)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        award = self.grants.get(data.get("grant", 0))
        quarter = Quarter.parse(str(data.get("quarter", "")))
        if award is not None and quarter is not None:
            try:
                check_quarter(award, quarter)
            except QuarterError as exc:
                self.add_error("quarter", exc.message)
            data["award"] = award
            data["quarter_value"] = quarter
        return data


def _require_viewer(request: HttpRequest) -> None:
    if not can_open_funder_reports(request.user):
        raise Http404


@login_required
@require_GET
def funder_list(request: HttpRequest) -> HttpResponse:
    _require_viewer(request)
    grants = list(funder_grant_list(fetched_by=request.user))
    today = timezone.localdate()
    per_grant = [(g, grant_quarters(g, today)) for g in grants]
    first = min((qs[0] for _g, qs in per_grant if qs), default=Quarter.containing(today))
    form = FunderReportForm(
        request.GET or None,
        grants=grants,
        quarters=quarters_between(first, Quarter.containing(today)),
    )
    status = 200
    if form.is_bound:
        if form.is_valid():
            return redirect(
                "reports:funder-pdf",
                grant=form.cleaned_data["award"].pk,
                quarter=str(form.cleaned_data["quarter_value"]),
            )
        status = 400
    rows = [
        {
            "grant": g,
            "label": _grant_label(g),
            "awarded": g.amount,
            "currency": g.application.round.currency,
            "quarters": [
                {
                    "label": quarter_label(q),
                    "url": reverse("reports:funder-pdf", kwargs={"grant": g.pk, "quarter": str(q)}),
                }
                for q in reversed(qs)
            ],
        }
        for g, qs in per_grant
    ]
    return render(request, "reports/funder.html", {"form": form, "rows": rows}, status=status)


@login_required
@require_GET
def funder_pdf(request: HttpRequest, grant: int, quarter: str) -> HttpResponse:
    _require_viewer(request)
    award = access_grant(request.user, grant)
    parsed = Quarter.parse(quarter)
    if parsed is None or str(parsed) != quarter:
        raise Http404
    try:
        report = funder_report(award, parsed)
    except QuarterError as exc:
        raise Http404(exc.message) from exc
    language = "es" if (get_language() or "en").startswith("es") else "en"
    response = HttpResponse(funder_report_pdf(report, language), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename(report)}"'
    response["Cache-Control"] = "private, no-store"
    return response
