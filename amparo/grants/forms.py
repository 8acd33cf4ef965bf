"""Forms of the grant pages. Amounts are typed as the reader's language writes money and become
integer cents (:class:`amparo.ledger.fields.AmountField`)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amparo.core.lists import DateRangeFilterForm, Sort
from amparo.ledger.fields import AmountField
from amparo.ledger.models import Restriction
from amparo.organizations.models import GrantCategory

from .models import RoundStatus


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name of the round"), max_length=200)
    budget = AmountField(label=_("Budget (USD)"))
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    restriction = forms.ModelChoiceField(
        label=_("Draws from"), queryset=Restriction.objects.all(), empty_label=None
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories"),
        choices=GrantCategory.choices,
        initial=list(GrantCategory.values),
        widget=forms.CheckboxSelectMultiple,
    )
    budget_override = forms.CharField(
        label=_("Reason to budget beyond the restriction (only if needed)"),
        help_text=_(
            "Leave empty unless the budget is more than the restriction holds or has been "
            "promised, for example because a pledge is expected. The reason is kept in the "
            "audit log."
        ),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if (
            isinstance(opens, datetime.date)
            and isinstance(closes, datetime.date)
            and closes < opens
        ):
            self.add_error("closes_on", _("The deadline must be on or after the opening day."))
        return data


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=RoundStatus.choices)


BUDGET_LINES = 5


class ApplicationForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"))
    narrative = forms.CharField(
        label=_("What will the grant pay for?"),
        help_text=_("Who you serve, how many people, and how. Do not name clients."),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        help_text=_("PDF, PNG, JPEG, text or CSV, at most 5 MB."),
        required=False,
    )

    def __init__(self, *args: Any, categories: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(GrantCategory.choices)
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [(c, labels.get(c, c)) for c in categories]
        for i in range(1, BUDGET_LINES + 1):
            self.fields[f"line_{i}_description"] = forms.CharField(
                label=_("Budget line %(n)s: what") % {"n": i}, max_length=200, required=False
            )
            self.fields[f"line_{i}_amount"] = AmountField(
                label=_("Budget line %(n)s: amount (USD)") % {"n": i},
                max_length=20,
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lines = []
        for i in range(1, BUDGET_LINES + 1):
            description = (data.get(f"line_{i}_description") or "").strip()
            amount = data.get(f"line_{i}_amount")
            if description and not amount:
                self.add_error(f"line_{i}_amount", _("Give the amount of this budget line."))
            elif amount and not description:
                self.add_error(f"line_{i}_description", _("Say what this amount pays for."))
            elif description and amount:
                lines.append((description, amount))
        if not lines and not self.errors:
            self.add_error("line_1_description", _("Add at least one budget line."))
        data["lines"] = lines
        return data

    def line_fields(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"line_{i}_description"], self[f"line_{i}_amount"])
            for i in range(1, BUDGET_LINES + 1)
        ]


class AwardForm(forms.Form):
    amount = AmountField(label=_("Amount to award (USD)"))


class TrancheForm(forms.Form):
    amount = AmountField(label=_("Amount (USD)"))
    due_on = forms.DateField(
        label=_("Scheduled for"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ReportForm(forms.Form):
    detained_served = forms.IntegerField(label=_("Detained people served"), min_value=0)
    spend = AmountField(label=_("Spent this quarter (USD)"), required=False)
    narrative = forms.CharField(
        label=_("Notes (no client names)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(GrantCategory.choices)
        for kind in ("opened", "closed"):
            for value in GrantCategory.values:
                label = (
                    _("Cases opened: %(category)s")
                    if kind == "opened"
                    else _("Cases closed: %(category)s")
                ) % {"category": labels[value]}
                self.fields[f"{kind}_{value}"] = forms.IntegerField(
                    label=label, min_value=0, initial=0
                )

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            kind: {v: int(self.cleaned_data.get(f"{kind}_{v}") or 0) for v in GrantCategory.values}
            for kind in ("opened", "closed")
        }


# --- the lists' filters (amparo.core.lists) -----------------------------------------------------

ROUND_SORTS = {
    "deadline": Sort(_("Deadline"), ("closes_on",)),
    "name": Sort(_("Round"), ("name",)),
    "budget": Sort(_("Budget"), ("budget",)),
}
ROUND_DEFAULT_SORT = "-deadline"

APPLICATION_SORTS = {
    "submitted": Sort(_("Submitted"), ("submitted_at",)),
    "organization": Sort(_("Organization"), ("organization__name",)),
    "requested": Sort(_("Requested"), ("requested",)),
}
APPLICATION_DEFAULT_SORT = "submitted"


class RoundFilterForm(DateRangeFilterForm):
    """Grant rounds by status and by deadline."""

    date_lookup = "closes_on"

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Every status")), *RoundStatus.choices]
    )
    field_order = ["status", "date_from", "date_to"]

    def narrow(self, queryset: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        queryset = super().narrow(queryset, data)
        return queryset.filter(status=data["status"]) if data.get("status") else queryset


class ApplicationFilterForm(DateRangeFilterForm):
    """A round's applications by category and by the day they were submitted."""

    date_lookup = "submitted_at__date"

    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("Every category")), *GrantCategory.choices],
    )
    field_order = ["category", "date_from", "date_to"]

    def narrow(self, queryset: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        queryset = super().narrow(queryset, data)
        return queryset.filter(category=data["category"]) if data.get("category") else queryset
