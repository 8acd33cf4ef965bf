from typing import Any

from allauth.mfa.base.forms import AuthenticateForm as MFAAuthenticateForm
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amparo.core.i18n_public import staff_language_choices
from amparo.core.lists import DateRangeFilterForm, Sort

from .roles import PROVIDER_ROLES, Role
from .widgets import RadioGroup


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("Say where you will use it, for example “case system sync”."),
    )


class DonorSignInForm(forms.Form):
    """The donor sign-in page: only the address a link should go to."""

    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("The address you gave with your gift. We send a sign-in link there."),
    )


class PersonInviteForm(forms.Form):
    """A fund administrator inviting anyone; provider roles also name their organization."""

    email = forms.EmailField(label=_("Email address"), max_length=254)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=RadioGroup)
    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=None,
        required=False,
        empty_label=_("None (fund staff, board or donor)"),
        help_text=_("Required for provider administrators and attorneys."),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=staff_language_choices,
        help_text=_("The email and the pages they see first will be in this language."),
    )

    def __init__(self, *args: Any, organizations: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field = self.fields["organization"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = organizations

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role, organization = cleaned.get("role"), cleaned.get("organization")
        if role in PROVIDER_ROLES and organization is None:
            self.add_error("organization", _("Choose the organization this person works for."))
        elif role and role not in PROVIDER_ROLES and organization is not None:
            self.add_error(
                "organization",
                _("Only provider administrators and attorneys belong to an organization."),
            )
        return cleaned


class AuthenticateForm(MFAAuthenticateForm):  # type: ignore[misc]
    """The second step of signing in, with a label that says which code is meant."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = _("Authenticator code")
        code.help_text = _(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
        )
        code.widget.attrs.pop("placeholder", None)
        code.widget.attrs.update({"autocomplete": "one-time-code", "spellcheck": "false"})


# --- the people list's filters (amparo.core.lists) ----------------------------------------------

PEOPLE_SORTS = {
    "name": Sort(_("Name"), ("last_name", "first_name", "email")),
    "role": Sort(_("Role"), ("role", "last_name", "first_name")),
    "joined": Sort(_("Joined"), ("date_joined",)),
}
PEOPLE_DEFAULT_SORT = "role"


class PeopleFilterForm(DateRangeFilterForm):
    """Everyone with an account, by role, by whether the account is on, by the day it began."""

    date_lookup = "date_joined__date"

    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("Every role")), *Role.choices]
    )
    active = forms.ChoiceField(
        label=_("Account"),
        required=False,
        choices=[("", _("On or off")), ("yes", _("On")), ("no", _("Switched off"))],
    )
    field_order = ["role", "active", "date_from", "date_to"]

    def narrow(self, queryset: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        queryset = super().narrow(queryset, data)
        if data.get("role"):
            queryset = queryset.filter(role=data["role"])
        if data.get("active"):
            queryset = queryset.filter(is_active=data["active"] == "yes")
        return queryset
