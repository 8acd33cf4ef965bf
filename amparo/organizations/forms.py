"""Forms validate input only; services do the writing."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amparo.accounts.roles import Role
from amparo.accounts.widgets import CheckboxGroup, RadioGroup
from amparo.core.i18n_public import staff_language_choices
from amparo.core.lists import ListFilterForm, Sort

from .languages import language_choices
from .models import (
    ATTORNEY_PROFILE_FIELDS,
    ORGANIZATION_ADMIN_FIELDS,
    ORGANIZATION_PROVIDER_FIELDS,
    AttorneyProfile,
    Fund,
    GrantCategory,
    Office,
    PracticeArea,
    Program,
    ProviderOrganization,
    RepresentativeKind,
)

#: Slugs that would collide with the fixed paths under /organizations/.
RESERVED_SLUGS = frozenset({"new", "mine", "programs", "fund", "profile", "people"})

_ID_PATTERN = re.compile(r"^[A-Za-z0-9-]*$")


def _website_field() -> forms.URLField:
    return forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")


class OrganizationProviderForm(forms.ModelForm[ProviderOrganization]):
    """What a provider administrator may change about their own organization."""

    website = _website_field()

    class Meta:
        model = ProviderOrganization
        fields = ORGANIZATION_PROVIDER_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class OrganizationAdminForm(OrganizationProviderForm):
    """Everything about an organization, for fund administrators."""

    class Meta(OrganizationProviderForm.Meta):
        fields = ORGANIZATION_ADMIN_FIELDS
        help_texts = {
            "slug": _("Used in addresses of pages: lowercase letters, numbers and hyphens."),
            "is_active": _(
                "When off, the organization gets no referrals and its staff see nothing."
            ),
        }

    def clean_slug(self) -> str:
        slug = str(self.cleaned_data["slug"])
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This short name is reserved. Choose another one."))
        return slug


class OfficeForm(forms.ModelForm[Office]):
    counties_served = forms.CharField(
        label=_("Counties served"),
        required=False,
        max_length=500,
        help_text=_("Separate them with commas, for example “Denver, Adams, Arapahoe”."),
    )

    class Meta:
        model = Office
        fields = ("name", "address", "city", "state", "zip_code", "phone", "counties_served")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["counties_served"] = ", ".join(self.instance.counties_served)

    def clean_state(self) -> str:
        state = str(self.cleaned_data["state"]).strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", state):
            raise forms.ValidationError(_("Enter the two-letter state code, for example CO."))
        return state

    def clean_counties_served(self) -> list[str]:
        raw = self.cleaned_data.get("counties_served") or ""
        counties = [part.strip() for part in raw.split(",") if part.strip()]
        if any(len(c) > 60 for c in counties):
            raise forms.ValidationError(_("A county name is too long."))
        return counties


class ProgramForm(forms.ModelForm[Program]):
    categories = forms.MultipleChoiceField(
        label=_("Grant categories"),
        choices=GrantCategory.choices,
        widget=CheckboxGroup,
        error_messages={"required": _("Choose at least one grant category.")},
    )

    class Meta:
        model = Program
        fields = ("fund", "name", "slug", "description", "categories", "is_active")
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "slug": _("Used in addresses of pages: lowercase letters, numbers and hyphens."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fund_field = self.fields["fund"]
        assert isinstance(fund_field, forms.ModelChoiceField)
        fund_field.empty_label = None
        fund_field.label = pgettext_lazy("a fund, the noun", "Fund")


class FundForm(forms.ModelForm[Fund]):
    class Meta:
        model = Fund
        fields = ("holder",)


class AttorneyProfileForm(forms.ModelForm[AttorneyProfile]):
    kind = forms.ChoiceField(label=_("Kind"), choices=RepresentativeKind.choices, widget=RadioGroup)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=language_choices,
        widget=CheckboxGroup,
        help_text=_("The languages this person works in without an interpreter."),
        error_messages={"required": _("Choose at least one language.")},
    )
    practice_areas = forms.MultipleChoiceField(
        label=_("Practice areas"),
        choices=PracticeArea.choices,
        widget=CheckboxGroup,
        error_messages={"required": _("Choose at least one practice area.")},
    )
    capacity = forms.IntegerField(
        label=_("Maximum active cases"),
        min_value=0,
        max_value=500,
        help_text=_("Referrals stop when this many cases are open. Use 0 to pause."),
    )

    class Meta:
        model = AttorneyProfile
        fields = ATTORNEY_PROFILE_FIELDS
        help_texts = {
            "eoir_id": _("Required unless you enter a bar number."),
        }

    def _clean_identifier(self, name: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip().upper()
        if not _ID_PATTERN.match(value):
            raise forms.ValidationError(_("Use only letters, numbers and hyphens."))
        return value

    def clean_eoir_id(self) -> str:
        return self._clean_identifier("eoir_id")

    def clean_bar_number(self) -> str:
        return self._clean_identifier("bar_number")


class MembershipInviteForm(forms.Form):
    """A provider admin (or fund admin) inviting staff to one organization."""

    email = forms.EmailField(label=_("Email address"), max_length=254)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (Role.ATTORNEY.value, Role.ATTORNEY.label),
            (Role.PROVIDER_ADMIN.value, Role.PROVIDER_ADMIN.label),
        ],
        widget=RadioGroup,
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=staff_language_choices,
        help_text=_("The email and the pages they see first will be in this language."),
    )


# --- the organization list's filters (amparo.core.lists) ----------------------------------------

ORGANIZATION_SORTS = {
    "name": Sort(_("Name"), ("name",)),
    "added": Sort(_("Added"), ("created_at",)),
}
ORGANIZATION_DEFAULT_SORT = "name"


class OrganizationFilterForm(ListFilterForm):
    """Provider organizations by whether they take new cases and whether they are switched on."""

    accepting = forms.ChoiceField(
        label=_("Accepting new cases"),
        required=False,
        choices=[("", _("Either")), ("yes", _("Yes")), ("no", _("No"))],
    )
    active = forms.ChoiceField(
        label=_("Switched on"),
        required=False,
        choices=[("", _("Either")), ("yes", _("Yes")), ("no", _("No"))],
    )

    def narrow(self, queryset: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        if data.get("accepting"):
            queryset = queryset.filter(accepting_new_cases=data["accepting"] == "yes")
        if data.get("active"):
            queryset = queryset.filter(is_active=data["active"] == "yes")
        return queryset
