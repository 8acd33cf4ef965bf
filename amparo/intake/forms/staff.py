"""Staff intake: everything on one page, for a hotline call or a detention visit."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.core.hearing_dates import check_next_hearing
from amparo.core.terms import Custody
from amparo.organizations.languages import language_choices
from amparo.organizations.models import PracticeArea
from amparo.vault.validators import validate_a_number, validate_email, validate_name, validate_phone

from ..codes import normalize_reference
from ..models import (
    ContactMethod,
    DeadlineKind,
    IntakePolicy,
    Source,
)
from .fields import (
    MAX_HOUSEHOLD,
    ChoicesMixin,
    GroupsMixin,
    check_contact_details,
    check_deadline_date,
    clean_zip,
    parse_money,
    radio,
)


class StaffIntakeForm(GroupsMixin, ChoicesMixin, forms.Form):
    """Everything on one page, in the order a hotline call or a detention visit goes."""

    GROUPS = {
        "person": (
            "name",
            "a_number",
            "date_of_birth",
            "minor",
            "unaccompanied_child",
            "vulnerable",
        ),
        "custody": (
            "custody",
            "facility",
            "next_hearing",
            "court",
            "missed_hearing",
            "in_absentia_order",
            "in_absentia_risk",
            "deadline_kind",
            "deadline_date",
            "practice_area",
        ),
        "eligibility": (
            "zip_code",
            "county",
            "household_size",
            "income",
            "spoken_language",
            "needs_interpreter",
        ),
        "contact": (
            "contact_method",
            "phone",
            "email",
            "relative_name",
            "relative_phone",
            "safe_to_leave_message",
            "contact_notes",
        ),
        "more": ("adverse_parties", "source", "route_now"),
    }

    source = radio(
        [
            (Source.HOTLINE, Source.HOTLINE.label),
            (Source.DETENTION_VISIT, Source.DETENTION_VISIT.label),
        ],
        label=_("Where is this request from?"),
        initial=Source.HOTLINE,
    )
    name = forms.CharField(label=_("Full name"), max_length=200, validators=[validate_name])
    a_number = forms.CharField(
        label=_("A-number"), required=False, max_length=20, validators=[validate_a_number]
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    custody = radio(Custody.choices, label=_("Custody"), initial=Custody.DETAINED)
    facility = forms.ChoiceField(label=_("Detention facility"), required=False)
    next_hearing = forms.DateField(
        label=_("Next hearing"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    court = forms.ChoiceField(label=_("Immigration court"), required=False)
    practice_area = forms.ChoiceField(label=_("Kind of help"), required=False)
    minor = forms.BooleanField(label=_("Under 18"), required=False)
    unaccompanied_child = forms.BooleanField(label=_("Unaccompanied child"), required=False)
    in_absentia_risk = forms.BooleanField(
        label=_("At risk of an order in absentia"), required=False
    )
    missed_hearing = forms.BooleanField(label=_("Missed a hearing"), required=False)
    in_absentia_order = forms.BooleanField(label=_("Ordered removed in absentia"), required=False)
    deadline_kind = forms.ChoiceField(
        label=_("Running deadline"),
        required=False,
        choices=[("", _("None known")), *DeadlineKind.choices],
    )
    deadline_date = forms.DateField(
        label=_("Last day of the deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    vulnerable = forms.BooleanField(
        label=_("Other vulnerability (health, pregnancy, disability, trauma)"), required=False
    )
    zip_code = forms.CharField(label=_("ZIP code"), required=False, max_length=10)
    county = forms.ChoiceField(label=_("County"), required=False)
    household_size = forms.IntegerField(
        label=_("Household size"),
        required=False,
        min_value=1,
        max_value=MAX_HOUSEHOLD,
        error_messages={
            "min_value": _("Enter at least 1."),
            "max_value": _("Enter 30 or fewer."),
            "invalid": _("Enter a whole number, like 3."),
        },
    )
    income = forms.CharField(
        label=_("Yearly household income (dollars)"),
        required=False,
        max_length=20,
        help_text=_("An amount, like 24000. Leave it empty if not known."),
    )
    spoken_language = forms.ChoiceField(label=_("Language for the lawyer"))
    needs_interpreter = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    contact_method = radio(
        ContactMethod.choices, label=_("Safe way to reach them"), initial=ContactMethod.RELATIVE
    )
    phone = forms.CharField(
        label=_("Phone"), required=False, max_length=40, validators=[validate_phone]
    )
    email = forms.CharField(
        label=_("Email"), required=False, max_length=254, validators=[validate_email]
    )
    relative_name = forms.CharField(
        label=_("Relative or friend's name"), required=False, max_length=200
    )
    relative_phone = forms.CharField(
        label=_("Relative or friend's phone"),
        required=False,
        max_length=40,
        validators=[validate_phone],
    )
    safe_to_leave_message = forms.BooleanField(label=_("Safe to leave a message"), required=False)
    contact_notes = forms.CharField(
        label=_("How to reach them safely"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: call after 6 pm; do not leave a voicemail."),
    )
    adverse_parties = forms.CharField(
        label=_("Adverse parties, one name per line"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "People on the other side of the matter (for example, an abuser), for conflict checks."
        ),
    )
    route_now = forms.BooleanField(
        label=_("Send to a provider now if eligible"), required=False, initial=True
    )
    not_a_duplicate = forms.BooleanField(
        label=_("I checked: this is a different person from the matching request"), required=False
    )

    def __init__(self, *args: Any, policy: IntakePolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy
        self._choice_field("facility").choices = [("", _("Not detained, or not known"))] + [
            (n, n) for n in policy.facility_names()
        ]
        self._choice_field("court").choices = [("", _("Not known"))] + [
            (str(c), str(c)) for c in policy.courts
        ]
        self._choice_field("county").choices = [("", _("Not known"))] + [
            (str(c), str(c)) for c in policy.counties
        ]
        self._choice_field("practice_area").choices = [
            ("", _("Removal defense (from custody)")),
            *list(PracticeArea.choices),
        ]
        self._choice_field("spoken_language").choices = language_choices()
        self.fields["name"].widget.attrs.update(
            {"autofocus": True, "autocomplete": "off", "spellcheck": "false"}
        )
        for name in ("phone", "relative_phone"):
            self.fields[name].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        self.fields["a_number"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["zip_code"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "class": "input-10"}
        )
        self.fields["household_size"].widget = forms.TextInput(
            attrs={"inputmode": "numeric", "class": "input-4", "autocomplete": "off"}
        )
        self.fields["income"].widget.attrs.update(
            {"inputmode": "numeric", "class": "input-10", "autocomplete": "off"}
        )

    def clean_zip_code(self) -> str:
        return clean_zip(self.cleaned_data.get("zip_code", ""))

    def clean_income(self) -> int | None:
        return parse_money(self.cleaned_data.get("income"))

    def clean_next_hearing(self) -> datetime.date | None:
        value = self.cleaned_data.get("next_hearing")
        check_next_hearing(value)
        return value

    def clean_deadline_date(self) -> datetime.date | None:
        value = self.cleaned_data.get("deadline_date")
        check_deadline_date(value)
        return value

    def clean_date_of_birth(self) -> datetime.date | None:
        value = self.cleaned_data.get("date_of_birth")
        if value is not None and not datetime.date(1900, 1, 1) <= value <= timezone.localdate():
            raise ValidationError(_("Enter a date of birth in the past."), code="dob")
        return value

    def clean_adverse_parties(self) -> list[str]:
        names = [
            line.strip()
            for line in (self.cleaned_data.get("adverse_parties") or "").splitlines()
            if line.strip()
        ]
        if len(names) > 10:
            raise ValidationError(_("Enter at most 10 names."), code="too_many")
        for name in names:
            if len(name) > 200:
                raise ValidationError(_("Each name has at most 200 characters."), code="long")
            validate_name(name)
        return names

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_contact_details(self, data)
        method = data.get("contact_method")
        if (
            method == ContactMethod.RELATIVE
            and not data.get("relative_phone")
            and "relative_phone" not in self.errors
        ):
            self.add_error("relative_phone", _("Enter the relative or friend's phone."))
        if data.get("deadline_kind") and not data.get("deadline_date"):
            if "deadline_date" not in self.errors:
                self.add_error("deadline_date", _("Enter the last day of the deadline."))
        elif data.get("deadline_date") and not data.get("deadline_kind"):
            self.add_error("deadline_kind", _("Choose what the deadline is for."))
        return data


class RequestEditForm(StaffIntakeForm):
    """Correct a request: the staff intake page's questions, filled in with the request's
    answers. Only what the worker changes is sent; a date is checked only when it is changed
    (a hearing that passed since the request came in is history, not a typo)."""

    GROUPS = {k: v for k, v in StaffIntakeForm.GROUPS.items() if k != "more"}
    EXCLUDED = ("source", "route_now", "not_a_duplicate", "adverse_parties")

    def __init__(self, *args: Any, policy: IntakePolicy, **kwargs: Any) -> None:
        super().__init__(*args, policy=policy, **kwargs)
        for name in self.EXCLUDED:
            del self.fields[name]
        self.fields["name"].widget.attrs.pop("autofocus", None)
        # A value the program's lists no longer offer (or the public form's "another court")
        # stays choosable, so saving another field does not trip on it.
        for name in ("facility", "court", "county"):
            current = self.initial.get(name)
            field = self._choice_field(name)
            choices = list(cast(list[tuple[str, Any]], field.choices))
            if current and current not in dict(choices):
                field.choices = [*choices, (current, current)]
        low, high = self.initial.get("income_low"), self.initial.get("income_high")
        if low is not None and low != high:
            self.fields["income"].help_text = _(
                "The person gave a range. Enter one amount to replace it, or leave it empty to keep it."
            )

    def clean_next_hearing(self) -> datetime.date | None:
        if "next_hearing" not in self.changed_data:
            return self.cleaned_data.get("next_hearing")
        return super().clean_next_hearing()

    def clean_deadline_date(self) -> datetime.date | None:
        if "deadline_date" not in self.changed_data:
            return self.cleaned_data.get("deadline_date")
        return super().clean_deadline_date()

    def changes(self) -> dict[str, Any]:
        """The model fields the worker changed, with their new values (income in cents)."""
        data = self.cleaned_data
        changes: dict[str, Any] = {}
        for name in self.changed_data:
            if name == "income":
                # (a range the person gave shows empty: left empty, it is not "changed")
                cents = None if data.get("income") is None else data["income"] * 100
                changes["income_low_cents"] = changes["income_high_cents"] = cents
            elif name in data:
                value = data[name]
                changes[name] = "" if value is None and name not in _NULLABLE else value
        return changes


#: Edit fields whose empty value is None (dates and numbers), not "".
_NULLABLE = frozenset({"date_of_birth", "next_hearing", "deadline_date", "household_size"})


class AdversePartyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, validators=[validate_name])


class MergeForm(forms.Form):
    other = forms.CharField(
        label=_("Reference of the other request"),
        max_length=20,
        help_text=_("For example, H-7K3Q-9XWD."),
    )
    keep = forms.ChoiceField(
        label=_("Which request carries on?"),
        widget=forms.RadioSelect,
        choices=[
            ("this", _("This one: close the other as merged into it")),
            ("other", _("The other one: close this one as merged into it")),
        ],
    )

    def clean_other(self) -> str:
        reference = normalize_reference(self.cleaned_data.get("other") or "")
        if not reference:
            raise ValidationError(_("Enter a reference like H-7K3Q-9XWD."), code="reference")
        return reference
