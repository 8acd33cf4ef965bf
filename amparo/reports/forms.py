from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.grants.models import Award
from amparo.organizations.models import GrantCategory, Program, ProviderOrganization

from .metrics import CASE_CATEGORIES, Filters


class GrantChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.application.organization.name} — {obj.application.round.name}"


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
    grant = GrantChoiceField(
        label=_("Grant"),
        queryset=Award.objects.select_related(
            "application__organization", "application__round"
        ).order_by("application__round__opens_on", "pk"),
        required=False,
        empty_label=_("All grants"),
        help_text=_("A grant's figures: its grantee's cases in its category."),
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
        award = data.get("grant")
        if award is not None:
            application = award.application
            provider = data.get("provider")
            if provider is not None and provider.pk != application.organization_id:
                self.add_error("grant", _("This grant went to another provider."))
            category = data.get("category")
            if category and category != application.category:
                self.add_error("grant", _("This grant is in another category."))
        return data

    def filters(self) -> Filters:
        """The filters of a valid form."""
        data = self.cleaned_data
        award = data["grant"]
        program = data["program"]
        provider = data["provider"]
        category = data["category"] or None
        if award is not None:
            provider = award.application.organization
            category = award.application.category
            if category not in CASE_CATEGORIES:  # capacity building: no cases of its own
                category = None
        return Filters(
            program_id=program.pk if program else None,
            organization_id=provider.pk if provider else None,
            category=category,
            award_id=award.pk if award else None,
            start=data["start"],
            end=data["end"],
        )
