"""Forms of the case pages. They only read and check input; services do the writing."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amparo.core.hearing_dates import PAST, check_next_hearing
from amparo.core.lists import DateRangeFilterForm, Sort
from amparo.core.terms import Custody
from amparo.organizations.languages import LANGUAGES
from amparo.organizations.models import PracticeArea
from amparo.vault.validators import (
    validate_a_number,
    validate_email,
    validate_name,
    validate_phone,
)

from .choices import (
    MANUAL_EVENT_KINDS,
    CaseStatus,
    CaseType,
    DocumentKind,
    EventKind,
    HearingKind,
    HearingMode,
    HearingStatus,
    Relief,
    Stage,
    TeamRole,
    VoluntaryDepartureStage,
)
from .documents import max_bytes
from .outcomes import GRANTED_CHOICES, DecidedBy, outcome_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE_ERRORS = {"invalid": _("Enter a real date, for example 2026-06-04.")}


def _language_choices() -> list[tuple[str, Any]]:
    return [(code, name) for code, name in LANGUAGES.items()]


def _choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Choose one")), *list(choices)]


class ClientFields(forms.Form):
    name = forms.CharField(
        label=_("Client's full name"), max_length=200, validators=[validate_name]
    )
    a_number = forms.CharField(
        label=_("A-number"),
        max_length=16,
        required=False,
        validators=[validate_a_number],
        help_text=_("8 or 9 digits, like A-012-345-678. Leave empty if the person has none."),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=DATE, error_messages=DATE_ERRORS
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=40, required=False, validators=[validate_phone]
    )
    email = forms.CharField(
        label=_("Email"), max_length=254, required=False, validators=[validate_email]
    )
    address = forms.CharField(
        label=_("Address"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    country_of_birth = forms.CharField(label=_("Country of birth"), max_length=100, required=False)
    language = forms.ChoiceField(label=_("Preferred language"), initial="es")
    remind_by_sms = forms.BooleanField(
        label=_("Send hearing reminders by text message"),
        required=False,
        help_text=_("Only if the client agreed and the phone is theirs alone."),
    )
    remind_by_email = forms.BooleanField(label=_("Send hearing reminders by email"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "language").choices = _language_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("remind_by_sms") and not data.get("phone"):
            self.add_error("phone", _("Enter a phone number for text message reminders."))
        if data.get("remind_by_email") and not data.get("email"):
            self.add_error("email", _("Enter an email address for email reminders."))
        return data


class CaseOpenForm(ClientFields):
    organization = forms.ChoiceField(label=_("Organization"))
    lead_attorney = forms.ChoiceField(label=_("Lead attorney"), required=False)
    case_type = forms.ChoiceField(label=_("Case type"), choices=CaseType.choices)
    practice_area = forms.ChoiceField(
        label=_("Practice area"), choices=_blank(PracticeArea.choices), required=False
    )
    custody = forms.ChoiceField(label=_("Custody"), choices=Custody.choices)
    facility = forms.CharField(
        label=_("Detention facility"),
        max_length=200,
        required=False,
        help_text=_("Only if the client is detained."),
    )
    court = forms.CharField(label=_("Immigration court"), max_length=120, required=False)
    next_hearing = forms.DateField(
        label=_("Next hearing (master calendar)"),
        required=False,
        widget=DATE,
        error_messages=DATE_ERRORS,
        help_text=_("You can add hearings later too."),
    )

    field_order = [
        "organization",
        "lead_attorney",
        "name",
        "a_number",
        "date_of_birth",
        "country_of_birth",
        "language",
        "phone",
        "email",
        "address",
        "remind_by_sms",
        "remind_by_email",
        "case_type",
        "practice_area",
        "custody",
        "facility",
        "court",
        "next_hearing",
    ]

    def __init__(
        self, *args: Any, organizations: list[Any], attorneys: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "organization").choices = [(str(o.pk), o.name) for o in organizations]
        if len(organizations) == 1:
            self.fields["organization"].widget = forms.HiddenInput()
            self.fields["organization"].initial = str(organizations[0].pk)
        _choice(self, "lead_attorney").choices = [("", _("Nobody yet"))] + [
            (str(u.pk), f"{u.display_name} ({org.name})") for org, u in attorneys
        ]

    def clean_next_hearing(self) -> datetime.date | None:
        value = self.cleaned_data.get("next_hearing")
        check_next_hearing(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("custody") != Custody.DETAINED and data.get("facility"):
            self.add_error("facility", _("A facility is only for a detained client."))
        return data


class CaseEditForm(forms.Form):
    case_type = forms.ChoiceField(label=_("Case type"), choices=CaseType.choices)
    practice_area = forms.ChoiceField(
        label=_("Practice area"), choices=_blank(PracticeArea.choices), required=False
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    custody = forms.ChoiceField(label=_("Custody"), choices=Custody.choices)
    facility = forms.CharField(label=_("Detention facility"), max_length=200, required=False)
    court = forms.CharField(label=_("Immigration court"), max_length=120, required=False)
    relief_sought = forms.MultipleChoiceField(
        label=_("Relief sought"),
        choices=Relief.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    unaccompanied_child = forms.BooleanField(
        label=_("Unaccompanied child"),
        required=False,
        help_text=_("The one-year asylum deadline does not apply to an unaccompanied child."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("custody") != Custody.DETAINED and data.get("facility"):
            self.add_error("facility", _("A facility is only for a detained client."))
        return data


class HearingForm(forms.Form):
    """A hearing's date is checked by the services (``hearing_add``/``hearing_update``, through
    :mod:`amparo.core.hearing_dates`), the one check the API applies too: one more than a year
    ago needs the box that appears with the message, ticked (``confirm_past`` in
    ``cleaned_data``)."""

    kind = forms.ChoiceField(label=_("Kind of hearing"), choices=HearingKind.choices)
    date = forms.DateField(label=_("Date"), widget=DATE, error_messages=DATE_ERRORS)
    historical = forms.BooleanField(
        label=_("This hearing really was more than a year ago: record it"),
        required=False,
        widget=forms.HiddenInput,
    )
    time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=TIME,
        error_messages={"invalid": _("Enter a time, for example 08:30.")},
    )
    judge = forms.CharField(label=_("Immigration judge"), max_length=120, required=False)
    mode = forms.ChoiceField(
        label=_("In person or by video"), choices=HearingMode.choices, initial=HearingMode.IN_PERSON
    )

    field_order = ["kind", "date", "historical"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["confirm_past"] = bool(data.pop("historical", False))
        if data["confirm_past"]:
            self._offer_confirmation()
        return data

    def add_error(self, field: str | None, error: Any) -> None:
        """The service's refusal of a date more than a year ago brings the box to confirm it."""
        super().add_error(field, error)
        if field == "date" and self.has_error("date", code=PAST):
            self._offer_confirmation()

    def _offer_confirmation(self) -> None:
        self.fields["historical"].widget = forms.CheckboxInput()


class HearingEditForm(HearingForm):
    status = forms.ChoiceField(label=_("Status"), choices=HearingStatus.choices)


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened"))
    date = forms.DateField(label=_("Date"), widget=DATE, error_messages=DATE_ERRORS)
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. Stored encrypted."),
    )
    vd_days = forms.IntegerField(
        label=_("Days of voluntary departure granted"),
        required=False,
        min_value=1,
        help_text=_("Only for a voluntary departure grant: at most 120 days, or 60 at the end."),
    )
    vd_stage = forms.ChoiceField(
        label=_("Voluntary departure granted"),
        choices=_blank(VoluntaryDepartureStage.choices),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(EventKind.choices)
        _choice(self, "kind").choices = [(k, labels[k]) for k in MANUAL_EVENT_KINDS]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "PDF, JPEG, PNG or Word (DOCX), up to 10 MB. Location data is removed from pictures."
        ),
        error_messages={"required": _("Choose a file."), "empty": _("The file is empty.")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = max_bytes()
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB. Send a smaller file."),
                params={"mb": limit // (1024 * 1024)},
            )
        return upload


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Privileged note"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Attorney work product. Only your organization's people on this case see it."),
    )


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Outcome"))
    decided_by = forms.ChoiceField(label=_("Decided by"), choices=DecidedBy.choices)
    decision_date = forms.DateField(
        label=_("Date of the decision"), widget=DATE, error_messages=DATE_ERRORS
    )
    relief = forms.ChoiceField(
        label=_("Relief or protection granted"),
        choices=_blank(GRANTED_CHOICES),
        required=False,
        help_text=_(
            "Relief when the outcome is relief granted; withholding or CAT when it is protection"
            " with a removal order; for a sustained appeal, what it results in, if anything."
        ),
    )
    in_absentia = forms.BooleanField(
        label=_("The removal order was made in absentia (the client was not there)"),
        required=False,
    )

    def __init__(self, *args: Any, case_type: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "kind").choices = outcome_choices(case_type)


class TeamAddForm(forms.Form):
    user = forms.ChoiceField(label=_("Person"))
    role = forms.ChoiceField(label=_("Role on the case"), choices=TeamRole.choices)

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "user").choices = [(str(u.pk), u.display_name) for u in people]


class TransitionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=500, widget=forms.TextInput
    )


class AdversePartyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, validators=[validate_name])
    relationship = forms.CharField(
        label=_("Relationship to the client"), max_length=120, required=False
    )


# --- the case list's filters (amparo.core.lists) ------------------------------------------------

CASE_SORTS = {
    "opened": Sort(_("Opened"), ("opened_at",)),
    "reference": Sort(_("Case"), ("reference",)),
    "status": Sort(_("Status"), ("status", "-opened_at")),
}
CASE_DEFAULT_SORT = "-opened"


class CaseFilterForm(DateRangeFilterForm):
    """The case list's filters: status, custody, lead attorney and the date the case opened."""

    date_lookup = "opened_at__date"

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Every status")), *CaseStatus.choices]
    )
    custody = forms.ChoiceField(
        label=_("Custody"), required=False, choices=[("", _("Any custody")), *Custody.choices]
    )
    attorney = forms.TypedChoiceField(
        label=_("Lead attorney"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, attorneys: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attorney = self.fields["attorney"]
        assert isinstance(attorney, forms.TypedChoiceField)
        attorney.choices = [("", _("Any attorney")), *((str(pk), name) for pk, name in attorneys)]

    def narrow(self, queryset: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        queryset = super().narrow(queryset, data)
        for field in ("status", "custody"):
            if data.get(field):
                queryset = queryset.filter(**{field: data[field]})
        if data.get("attorney") is not None:
            queryset = queryset.filter(lead_attorney_id=data["attorney"])
        return queryset
