from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.organizations.models import GrantCategory, Program, ProviderOrganization

from .metrics import CASE_CATEGORIES


class FilterForm(forms.Form):
    program = forms.ModelChoiceField(
        label=_("Program"),
        queryset=Program.objects.all(),
        required=False,
        empty_label=_("All programs"),
    )
    provider = forms.ModelChoiceField(
        label=_("Provider"),
        queryset=ProviderOrganization.objects.order_by("name"),
        required=False,
        empty_label=_("All providers"),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("All categories"))]
        + [(c.value, c.label) for c in GrantCategory if c in CASE_CATEGORIES],
        required=False,
    )
    start = forms.DateField(label=_("From (YYYY-MM-DD)"), required=False)
    end = forms.DateField(label=_("To (YYYY-MM-DD)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end of the period must be after its start."))
        return data
