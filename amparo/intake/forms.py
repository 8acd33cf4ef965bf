"""Forms of intake: one question per page for the public, one fast page for staff, the API's
input, and the program rules fund administrators edit. Every message is translated."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.eligibility import triage
from amparo.organizations.languages import LANGUAGES, language_choices
from amparo.organizations.models import PracticeArea
from amparo.vault.validators import validate_a_number, validate_email, validate_name, validate_phone

from .models import (
    ContactMethod,
    Custody,
    ForWhom,
    IntakePolicy,
    PovertyGuideline,
    PovertyRegion,
    Source,
    UnverifiedPolicy,
)

MAX_HOUSEHOLD = 30
MAX_INCOME = 10_000_000
OTHER = "other"
_ZIP = re.compile(r"^\d{5}(?:-?\d{4})?$")
_MONEY = re.compile(r"^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?$")

#: Yearly income ranges offered on the public form, in whole dollars (high end None: open).
INCOME_BANDS: dict[str, tuple[int, int | None, Any]] = {
    "under_15k": (0, 15_000, _("Less than $15,000")),
    "15k_25k": (15_000, 25_000, _("$15,000 to $25,000")),
    "25k_35k": (25_000, 35_000, _("$25,000 to $35,000")),
    "35k_50k": (35_000, 50_000, _("$35,000 to $50,000")),
    "50k_75k": (50_000, 75_000, _("$50,000 to $75,000")),
    "over_75k": (75_000, None, _("More than $75,000")),
    "unknown": (-1, None, _("I do not know, or prefer not to say")),
}


def parse_money(value: Any) -> int | None:
    """Whole dollars from ``"$31,300"``, ``"31300"`` or ``31300``; ``ValidationError`` otherwise."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValidationError(_("Enter an amount in dollars, like 24000."), code="invalid")
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float) and value.is_integer():
        amount = int(value)
    else:
        match = _MONEY.match(str(value).strip())
        if match is None:
            raise ValidationError(_("Enter an amount in dollars, like 24000."), code="invalid")
        amount = int(match[1].replace(",", ""))
    if not 0 <= amount <= MAX_INCOME:
        raise ValidationError(_("Enter an amount from $0 to $10,000,000."), code="range")
    return amount


def clean_zip(value: str) -> str:
    value = (value or "").strip()
    if value and not _ZIP.match(value):
        raise ValidationError(_("Enter a 5-digit ZIP code, like 80203."), code="zip")
    return value[:5]


def check_hearing_date(value: datetime.date | None) -> None:
    if value is None:
        return
    today = timezone.localdate()
    if value < today - datetime.timedelta(days=triage.PASSED_WINDOW_DAYS):
        raise ValidationError(
            _("This date is more than a year ago. Enter the next hearing, or leave it empty."),
            code="past",
        )
    if value > today + datetime.timedelta(days=365 * 5):
        raise ValidationError(_("Enter a date within the next five years."), code="future")


def interface_languages() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


class DateParts(forms.MultiWidget):
    """Day, month and year in three boxes (GOV.UK's date pattern): no date picker needed."""

    template_name = "intake/widgets/date_parts.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "maxlength": "2",
                    "class": "input-2",
                    "autocomplete": "off",
                }
            ),
            "month": forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "maxlength": "2",
                    "class": "input-2",
                    "autocomplete": "off",
                }
            ),
            "year": forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "maxlength": "4",
                    "class": "input-4",
                    "autocomplete": "off",
                }
            ),
        }
        super().__init__(widgets, attrs)

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_0" if id_ else ""

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            try:
                parsed = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
            return [parsed.day, parsed.month, parsed.year]
        return [None, None, None]


class DatePartsField(forms.MultiValueField):
    widget = DateParts
    default_error_messages = {
        "incomplete": _("Enter the day, the month and the year, or leave all three empty."),
        "invalid": _("Enter a real date, like 27 3 2026."),
    }

    def __init__(self, **kwargs: Any) -> None:
        fields = (
            forms.CharField(max_length=2),
            forms.CharField(max_length=2),
            forms.CharField(max_length=4),
        )
        kwargs.setdefault("require_all_fields", False)
        super().__init__(fields, **kwargs)

    def compress(self, data_list: list[Any]) -> datetime.date | None:
        parts = [str(p or "").strip() for p in (data_list or [])]
        if not any(parts):
            return None
        if not all(parts):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        if not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return datetime.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def clean(self, value: Any) -> Any:
        # All three empty is "not known": no per-part "required" errors.
        if isinstance(value, list | tuple) and not any(str(v or "").strip() for v in value):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        return super().clean(value)


class ChoicesMixin:
    fields: dict[str, forms.Field]

    def _choice_field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field


def _radio(choices: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **kwargs)


# --- The public form: one question per page ---------------------------------------------------


class StepForm(ChoicesMixin, forms.Form):
    """A step of the public form. ``policy`` gives the program's lists (facilities, courts,
    counties); ``answers`` the earlier answers, for questions that depend on them."""

    def __init__(
        self, *args: Any, policy: IntakePolicy, answers: dict[str, Any], **kwargs: Any
    ) -> None:
        self.policy = policy
        self.answers = answers
        super().__init__(*args, **kwargs)

    def about_self(self) -> bool:
        return self.answers.get("for_whom") != ForWhom.FAMILY

    def to_answers(self) -> dict[str, Any]:
        """The cleaned data as JSON-friendly values for the session."""
        out: dict[str, Any] = {}
        for key, value in self.cleaned_data.items():
            out[key] = value.isoformat() if isinstance(value, datetime.date) else value
        return out


class ForWhomStep(StepForm):
    for_whom = _radio(
        [
            (ForWhom.SELF, _("Myself")),
            (ForWhom.FAMILY, _("A family member or someone close to me")),
        ],
        label=_("Who needs a lawyer?"),
        error_messages={"required": _("Choose who needs a lawyer.")},
    )


class NameStep(StepForm):
    name = forms.CharField(
        max_length=200,
        validators=[validate_name],
        error_messages={"required": _("Enter the full name.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["name"]
        field.label = (
            _("What is your full name?") if self.about_self() else _("What is their full name?")
        )
        field.help_text = _(
            "As it appears on immigration papers, if there are any. We use it only to find their case and check for conflicts."
        )
        field.widget.attrs.update(
            {"autocomplete": "name" if self.about_self() else "off", "spellcheck": "false"}
        )


class CustodyStep(StepForm):
    custody = _radio(
        [
            (Custody.DETAINED, _("Yes, detained now")),
            (Custody.NEVER_DETAINED, _("No")),
            (Custody.RELEASED, _("Was detained and has been released")),
        ],
        error_messages={"required": _("Choose whether the person is detained.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["custody"].label = (
            _("Are you detained by immigration?")
            if self.about_self()
            else _("Are they detained by immigration?")
        )
        self.fields["custody"].help_text = _("People who are detained are helped first.")


class FacilityStep(StepForm):
    facility = forms.ChoiceField(
        label=_("Where are they detained?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where the person is detained.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = self.policy.facility_names()
        self._choice_field("facility").choices = [(n, n) for n in names] + [
            (OTHER, _("Somewhere else, or I do not know"))
        ]
        if self.about_self():
            self.fields["facility"].label = _("Where are you detained?")

    def to_answers(self) -> dict[str, Any]:
        value = self.cleaned_data["facility"]
        return {"facility": "" if value == OTHER else value}


class ANumberStep(StepForm):
    a_number = forms.CharField(
        label=_("What is the A-number?"),
        required=False,
        max_length=20,
        validators=[validate_a_number],
        help_text=_(
            "8 or 9 digits on papers from immigration, sometimes with an A in front, like A-012-345-678. Leave it empty if you do not know it."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["a_number"].label = (
            _("What is your A-number?") if self.about_self() else _("What is their A-number?")
        )
        self.fields["a_number"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "inputmode": "text"}
        )


class HearingStep(StepForm):
    next_hearing = DatePartsField(
        label=_("Next immigration court hearing"),
        required=False,
        help_text=_(
            "For example, 27 3 2026. Leave it empty if there is no hearing or you do not know."
        ),
    )
    court = forms.ChoiceField(label=_("Which immigration court?"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        courts = [str(c) for c in self.policy.courts]
        self._choice_field("court").choices = (
            [("", _("I do not know"))] + [(c, c) for c in courts] + [(OTHER, _("Another court"))]
        )

    def clean_next_hearing(self) -> datetime.date | None:
        value = self.cleaned_data.get("next_hearing")
        check_hearing_date(value)
        return value

    def to_answers(self) -> dict[str, Any]:
        data = super().to_answers()
        if data.get("court") == OTHER:
            data["court"] = ""
        return data


class ResidenceStep(StepForm):
    zip_code = forms.CharField(
        label=_("ZIP code"),
        required=False,
        max_length=10,
        help_text=_("Where the person lives, or where the family lives if the person is detained."),
    )
    county = forms.ChoiceField(label=_("County"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        counties = [str(c) for c in self.policy.counties]
        self._choice_field("county").choices = (
            [("", _("I do not know"))] + [(c, c) for c in counties] + [(OTHER, _("Another county"))]
        )
        self.fields["zip_code"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "postal-code", "class": "input-10"}
        )

    def clean_zip_code(self) -> str:
        return clean_zip(self.cleaned_data.get("zip_code", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        detained = self.answers.get("custody") == Custody.DETAINED
        if (
            not detained
            and not data.get("zip_code")
            and data.get("county") in ("", None)
            and not self.errors
        ):
            self.add_error("zip_code", _("Enter a ZIP code or choose a county."))
        return data

    def to_answers(self) -> dict[str, Any]:
        data = super().to_answers()
        if data.get("county") == OTHER:
            data["county"] = ""
        return data


class HouseholdStep(StepForm):
    household_size = forms.IntegerField(
        label=_("How many people live in the household?"),
        min_value=1,
        max_value=MAX_HOUSEHOLD,
        help_text=_(
            "Count the person who needs help, and the people who live with them and share money, such as a spouse and children."
        ),
        error_messages={
            "required": _("Enter how many people live in the household."),
            "invalid": _("Enter a whole number, like 3."),
            "min_value": _("Enter at least 1."),
            "max_value": _("Enter 30 or fewer."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["household_size"].widget = forms.TextInput(
            attrs={"inputmode": "numeric", "class": "input-4", "autocomplete": "off"}
        )


class IncomeStep(StepForm):
    income_band = _radio(
        [(key, label) for key, (_low, _high, label) in INCOME_BANDS.items()],
        label=_("About how much money does the household receive in a year?"),
        required=False,
        help_text=_("Before taxes, from all work and other support. A range is enough."),
    )
    income_exact = forms.CharField(
        label=_("Or type the amount, if you know it"),
        required=False,
        max_length=20,
        help_text=_("In dollars a year, like 24000."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["income_exact"].widget.attrs.update(
            {"inputmode": "numeric", "class": "input-10", "autocomplete": "off"}
        )

    def clean_income_exact(self) -> int | None:
        return parse_money(self.cleaned_data.get("income_exact"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("income_exact") is None and not data.get("income_band") and not self.errors:
            self.add_error(
                "income_band", _("Choose a range, type the amount, or choose that you do not know.")
            )
        return data

    def to_answers(self) -> dict[str, Any]:
        exact = self.cleaned_data.get("income_exact")
        band = self.cleaned_data.get("income_band") or "unknown"
        if exact is not None:
            return {"income_low": exact, "income_high": exact, "income_band": ""}
        low, high, _label = INCOME_BANDS[band]
        if low < 0:
            return {"income_low": None, "income_high": None, "income_band": band}
        return {"income_low": low, "income_high": high, "income_band": band}


class LanguageStep(StepForm):
    spoken_language = forms.ChoiceField(
        label=_("Which language is best for talking with a lawyer?")
    )
    needs_interpreter = _radio(
        [("yes", _("Yes")), ("no", _("No"))],
        label=_("Is an interpreter needed to talk with an English-speaking lawyer?"),
        error_messages={"required": _("Choose yes or no.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choice_field("spoken_language").choices = language_choices()

    def to_answers(self) -> dict[str, Any]:
        return {
            "spoken_language": self.cleaned_data["spoken_language"],
            "needs_interpreter": self.cleaned_data["needs_interpreter"] == "yes",
        }


class ContactStep(StepForm):
    contact_method = _radio(
        ContactMethod.choices,
        label=_("What is a safe way to reach you?"),
        error_messages={"required": _("Choose a safe way to reach you.")},
    )
    phone = forms.CharField(
        label=_("Phone number, for a call or WhatsApp"),
        required=False,
        max_length=40,
        validators=[validate_phone],
    )
    email = forms.CharField(
        label=_("Email address"), required=False, max_length=254, validators=[validate_email]
    )
    relative_name = forms.CharField(
        label=_("Name of the relative or friend"), required=False, max_length=200
    )
    relative_phone = forms.CharField(
        label=_("Their phone number"), required=False, max_length=40, validators=[validate_phone]
    )
    safe_to_leave_message = forms.BooleanField(
        label=_("It is safe to leave a message that says it is about immigration"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_method"].help_text = _(
            "Fill in only what goes with your choice. We never share it with immigration enforcement."
        )
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["relative_phone"].widget.attrs.update(
            {"inputmode": "tel", "autocomplete": "off"}
        )
        self.fields["email"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "spellcheck": "false"}
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        method = data.get("contact_method")
        if (
            method in (ContactMethod.PHONE, ContactMethod.WHATSAPP)
            and not data.get("phone")
            and "phone" not in self.errors
        ):
            self.add_error("phone", _("Enter the phone number to call or write to."))
        if method == ContactMethod.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Enter the email address."))
        if method == ContactMethod.RELATIVE:
            if not data.get("relative_name", "").strip():
                self.add_error("relative_name", _("Enter the name of the relative or friend."))
            if not data.get("relative_phone") and "relative_phone" not in self.errors:
                self.add_error("relative_phone", _("Enter their phone number."))
        return data

    def to_answers(self) -> dict[str, Any]:
        data = super().to_answers()
        method = data["contact_method"]
        # Keep only what goes with the choice: nothing collected that is not needed.
        if method not in (ContactMethod.PHONE, ContactMethod.WHATSAPP):
            data["phone"] = ""
        if method != ContactMethod.EMAIL:
            data["email"] = ""
        if method != ContactMethod.RELATIVE:
            data["relative_name"] = data["relative_phone"] = ""
        return data


class ConsentForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    consent = forms.BooleanField(
        label=_("I agree: use what I told you to find a lawyer, as explained above."),
        error_messages={"required": _("To send the request, tick the box to agree.")},
    )


class StatusForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"),
        max_length=20,
        help_text=_("It starts with H, like H-7K3Q-9XWD."),
        error_messages={"required": _("Enter the reference.")},
    )
    code = forms.CharField(
        label=_("Private status code"),
        max_length=30,
        help_text=_("The 16 letters and numbers you were given with the reference."),
        error_messages={"required": _("Enter the private status code.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("reference", "code"):
            self.fields[name].widget.attrs.update(
                {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
            )


# --- Staff intake: one page ------------------------------------------------------------------


class StaffIntakeForm(ChoicesMixin, forms.Form):
    """Everything on one page, in the order a hotline call or a detention visit goes."""

    source = _radio(
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
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    custody = _radio(Custody.choices, label=_("Custody"), initial=Custody.DETAINED)
    facility = forms.ChoiceField(label=_("Detention facility"), required=False)
    next_hearing = forms.DateField(
        label=_("Next hearing"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    court = forms.ChoiceField(label=_("Immigration court"), required=False)
    practice_area = forms.ChoiceField(label=_("Kind of help"), required=False)
    minor = forms.BooleanField(label=_("Under 18"), required=False)
    unaccompanied_child = forms.BooleanField(label=_("Unaccompanied child"), required=False)
    in_absentia_risk = forms.BooleanField(
        label=_("Missed a hearing, or at risk of an order in absentia"), required=False
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
    contact_method = _radio(
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
        check_hearing_date(value)
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
        method = data.get("contact_method")
        if (
            method in (ContactMethod.PHONE, ContactMethod.WHATSAPP)
            and not data.get("phone")
            and "phone" not in self.errors
        ):
            self.add_error("phone", _("Enter the phone number to call or write to."))
        if method == ContactMethod.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Enter the email address."))
        if (
            method == ContactMethod.RELATIVE
            and not data.get("relative_phone")
            and "relative_phone" not in self.errors
        ):
            self.add_error("relative_phone", _("Enter the relative or friend's phone."))
        return data


# --- Program rules (fund administrators) -----------------------------------------------------


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class PolicyForm(ChoicesMixin, forms.Form):
    """A program's intake rules. Lists are one item per line; facilities are ``name | county``
    (add ``| not local`` for a facility the form lists but the program does not serve)."""

    public_intake = forms.BooleanField(
        label=IntakePolicy._meta.get_field("public_intake").verbose_name, required=False
    )
    income_percent = forms.IntegerField(
        label=_("Income limit: percent of the poverty guideline"),
        required=False,
        min_value=1,
        max_value=1000,
        help_text=_("200 means twice the guideline. Leave it empty for no income limit."),
    )
    poverty_year = forms.TypedChoiceField(label=_("Poverty guideline year"), coerce=int)
    poverty_region = forms.ChoiceField(
        label=_("Poverty guideline region"),
        choices=PovertyRegion.choices,
    )
    if_unverified = forms.ChoiceField(
        label=_("If that year's table is not confirmed"),
        choices=UnverifiedPolicy.choices,
        widget=forms.RadioSelect,
    )
    zip_codes = forms.CharField(
        label=_("ZIP codes served, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    counties = forms.CharField(
        label=_("Counties served, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    facilities = forms.CharField(
        label=_("Detention facilities, one per line: name | county"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Add | not local for a facility the form lists but the program does not serve."
        ),
    )
    courts = forms.CharField(
        label=_("Immigration courts served, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    custodies = forms.MultipleChoiceField(
        label=_("Custody situations served"),
        choices=Custody.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    practice_areas = forms.MultipleChoiceField(
        label=_("Practice areas served (none ticked: all)"),
        choices=PracticeArea.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    interpreter_languages = forms.MultipleChoiceField(
        label=_("Languages the fund provides interpreters for"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sla_hours_detained = forms.IntegerField(
        label=_("Hours to answer a detained referral"), min_value=1, max_value=720
    )
    sla_hours_non_detained = forms.IntegerField(
        label=_("Hours to answer any other referral"), min_value=1, max_value=720
    )
    max_referral_attempts = forms.IntegerField(
        label=_("Providers tried before escalating"), min_value=1, max_value=20
    )
    retention_days = forms.IntegerField(
        label=_("Days to keep a request that did not become a case"), min_value=1, max_value=3650
    )

    def __init__(self, *args: Any, policy: IntakePolicy, **kwargs: Any) -> None:
        self.policy = policy
        initial = {
            "public_intake": policy.public_intake,
            "income_percent": policy.income_percent,
            "poverty_year": policy.poverty_year,
            "poverty_region": policy.poverty_region,
            "if_unverified": policy.if_unverified,
            "zip_codes": "\n".join(str(z) for z in policy.zip_codes),
            "counties": "\n".join(str(c) for c in policy.counties),
            "facilities": "\n".join(
                f"{f.get('name', '')} | {f.get('county', '')}"
                + ("" if f.get("local", True) else " | not local")
                for f in policy.facilities
                if isinstance(f, dict)
            ),
            "courts": "\n".join(str(c) for c in policy.courts),
            "custodies": list(policy.custodies),
            "practice_areas": list(policy.practice_areas),
            "interpreter_languages": list(policy.interpreter_languages),
            "sla_hours_detained": policy.sla_hours_detained,
            "sla_hours_non_detained": policy.sla_hours_non_detained,
            "max_referral_attempts": policy.max_referral_attempts,
            "retention_days": policy.retention_days,
        }
        weights = (
            triage.validate_weights(policy.triage_weights or {})
            if _weights_ok(policy)
            else dict(triage.DEFAULT_WEIGHTS)
        )
        for factor in triage.FACTORS:
            initial[f"weight_{factor}"] = weights[factor]
        for code, _name in interface_languages():
            initial[f"elsewhere_{code}"] = str((policy.referrals_elsewhere or {}).get(code, ""))
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        years = sorted(
            {g.year for g in PovertyGuideline.objects.all()} | {2025, 2026, policy.poverty_year}
        )
        self._choice_field("poverty_year").choices = [(y, str(y)) for y in years]
        self._choice_field("interpreter_languages").choices = [
            (c, str(n)) for c, n in sorted(LANGUAGES.items(), key=lambda cn: str(cn[1]))
        ]
        for factor in triage.FACTORS:
            self.fields[f"weight_{factor}"] = forms.IntegerField(
                label=WEIGHT_LABELS.get(factor, factor),
                min_value=0,
                max_value=triage.MAX_WEIGHT,
                error_messages={"invalid": _("Enter a whole number, like 300.")},
            )
        for code, name in interface_languages():
            self.fields[f"elsewhere_{code}"] = forms.CharField(
                label=_("Where else to go, for people who are not eligible (%(language)s)")
                % {"language": name},
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def weight_fields(self) -> list[Any]:
        return [self[f"weight_{factor}"] for factor in triage.FACTORS]

    def elsewhere_fields(self) -> list[Any]:
        return [self[f"elsewhere_{code}"] for code, _name in interface_languages()]

    def clean_zip_codes(self) -> list[str]:
        values = _lines(self.cleaned_data.get("zip_codes", ""))
        for value in values:
            clean_zip(value)
        return [v[:5] for v in values]

    def clean_counties(self) -> list[str]:
        return _lines(self.cleaned_data.get("counties", ""))

    def clean_courts(self) -> list[str]:
        return _lines(self.cleaned_data.get("courts", ""))

    def clean_facilities(self) -> list[dict[str, Any]]:
        facilities = []
        for line in _lines(self.cleaned_data.get("facilities", "")):
            parts = [p.strip() for p in line.split("|")]
            if not parts[0] or len(parts) > 3 or len(parts[0]) > 200:
                raise ValidationError(_("Write each facility as: name | county"), code="facility")
            local = not (len(parts) == 3 and parts[2].casefold() == "not local")
            if len(parts) == 3 and local:
                raise ValidationError(_("The third part can only be: not local"), code="facility")
            facilities.append(
                {"name": parts[0], "county": parts[1] if len(parts) > 1 else "", "local": local}
            )
        return facilities

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        out = {
            name: data[name]
            for name in (
                "public_intake",
                "income_percent",
                "poverty_year",
                "poverty_region",
                "if_unverified",
                "zip_codes",
                "counties",
                "facilities",
                "courts",
                "custodies",
                "practice_areas",
                "interpreter_languages",
                "sla_hours_detained",
                "sla_hours_non_detained",
                "max_referral_attempts",
                "retention_days",
            )
        }
        out["triage_weights"] = {factor: data[f"weight_{factor}"] for factor in triage.FACTORS}
        out["referrals_elsewhere"] = {
            code: data[f"elsewhere_{code}"].strip()
            for code, _n in interface_languages()
            if data[f"elsewhere_{code}"].strip()
        }
        return out


def _weights_ok(policy: IntakePolicy) -> bool:
    try:
        triage.validate_weights(policy.triage_weights or {})
    except ValueError:
        return False
    return True


WEIGHT_LABELS: dict[str, Any] = {
    "detained": _("Points for: detained"),
    "in_absentia_order": _("Points for: ordered removed in absentia"),
    "hearing_missed": _("Points for: missed a hearing"),
    "hearing_passed": _("Points for: hearing date passed (possible order in absentia)"),
    "hearing_7_days": _("Points for: hearing within 7 days"),
    "hearing_30_days": _("Points for: hearing within 30 days"),
    "hearing_90_days": _("Points for: hearing within 90 days"),
    "in_absentia_risk": _("Points for: risk of an order in absentia"),
    "appeal_deadline_30_days": _("Points for: a deadline to appeal within 30 days"),
    "motion_deadline_30_days": _("Points for: a deadline for a motion within 30 days"),
    "petition_deadline_30_days": _(
        "Points for: a deadline for a petition for review within 30 days"
    ),
    "unaccompanied_child": _("Points for: unaccompanied child"),
    "minor": _("Points for: under 18"),
    "vulnerable": _("Points for: other vulnerability"),
}


class PovertyConfirmForm(forms.Form):
    additional_person = forms.IntegerField(
        label=_("Dollars added for each additional person"),
        min_value=1,
        max_value=100_000,
        error_messages={"invalid": _("Enter a whole number of dollars, like 5500.")},
    )
    source = forms.CharField(
        label=_("Where you checked it"),
        max_length=300,
        help_text=_(
            "For example: Federal Register 2026-00755, table for the 48 contiguous states and DC."
        ),
    )
    checked = forms.BooleanField(
        label=_("I checked both figures against the official publication."),
        error_messages={"required": _("Tick the box to confirm you checked the figures.")},
    )
