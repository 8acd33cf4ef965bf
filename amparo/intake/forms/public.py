"""The public help form: one question per page (GOV.UK pattern), then consent, and the page
where a requester checks the status of a request."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from amparo.core.hearing_dates import check_next_hearing
from amparo.core.terms import Custody
from amparo.ledger.currency import format_money
from amparo.organizations.languages import spoken_language_choices
from amparo.vault.validators import validate_a_number, validate_email, validate_name, validate_phone

from ..models import (
    ContactMethod,
    DeadlineKind,
    ForWhom,
    IntakePolicy,
)
from .fields import (
    MAX_HOUSEHOLD,
    OTHER,
    ChoicesMixin,
    DatePartsField,
    check_contact_details,
    check_deadline_date,
    clean_zip,
    parse_money,
    radio,
)


def _dollars(amount: int) -> str:
    return format_money(amount * 100, "USD", whole=True)


def _band(low: int, high: int | None) -> str:
    """A yearly income band in the active language, its amounts from the one money formatter."""
    if low == 0 and high is not None:
        return gettext("Less than %(amount)s") % {"amount": _dollars(high)}
    if high is None:
        return gettext("More than %(amount)s") % {"amount": _dollars(low)}
    return gettext("%(low)s to %(high)s") % {"low": _dollars(low), "high": _dollars(high)}


_band_lazy = lazy(_band, str)

#: Yearly household income bands (whole dollars): (low, high, label).
INCOME_BANDS: dict[str, tuple[int, int | None, Any]] = {
    "under_15k": (0, 15_000, _band_lazy(0, 15_000)),
    "15k_25k": (15_000, 25_000, _band_lazy(15_000, 25_000)),
    "25k_35k": (25_000, 35_000, _band_lazy(25_000, 35_000)),
    "35k_50k": (35_000, 50_000, _band_lazy(35_000, 50_000)),
    "50k_75k": (50_000, 75_000, _band_lazy(50_000, 75_000)),
    "over_75k": (75_000, None, _band_lazy(75_000, None)),
    "unknown": (-1, None, _("I do not know, or prefer not to say")),
}


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
    for_whom = radio(
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
    custody = radio(
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
            {"autocomplete": "off", "spellcheck": "false", "inputmode": "text", "dir": "ltr"}
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
        check_next_hearing(value)
        return value

    def to_answers(self) -> dict[str, Any]:
        data = super().to_answers()
        if data.get("court") == OTHER:
            data["court"] = ""
        return data


#: Answers to "missed a hearing?" -> (missed_hearing, in_absentia_order).
MISSED_ANSWERS: dict[str, tuple[bool, bool]] = {
    "no": (False, False),
    "missed": (True, False),
    "ordered": (True, True),
    "unknown": (False, False),
}


class MissedHearingStep(StepForm):
    missed = radio(
        [
            ("no", _("No")),
            ("missed", _("Yes, a hearing was missed")),
            ("ordered", _("Yes, and the judge ordered removal because of it (in absentia)")),
            ("unknown", _("I do not know")),
        ],
        error_messages={"required": _("Choose whether a hearing was missed.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["missed"].label = (
            _("Have you missed an immigration court hearing?")
            if self.about_self()
            else _("Have they missed an immigration court hearing?")
        )
        self.fields["missed"].help_text = _(
            "Missing a hearing can lead to an order of removal with short deadlines, so we help these people sooner."
        )

    def to_answers(self) -> dict[str, Any]:
        answer = self.cleaned_data["missed"]
        missed, ordered = MISSED_ANSWERS[answer]
        return {"missed": answer, "missed_hearing": missed, "in_absentia_order": ordered}


class DeadlineStep(StepForm):
    deadline_kind = radio(
        [
            ("", _("No, or I do not know")),
            (DeadlineKind.APPEAL, _("Yes, to appeal a judge's decision")),
            (DeadlineKind.MOTION, _("Yes, to file a motion (for example, to reopen the case)")),
            (DeadlineKind.PETITION, _("Yes, to file a petition for review in a federal court")),
        ],
        label=_("Is there a deadline to appeal, or to file a motion or a petition?"),
        required=False,
        help_text=_("It is usually written on the judge's decision."),
    )
    deadline_date = DatePartsField(
        label=_("If there is, what is the last day?"),
        required=False,
        help_text=_("For example, 27 3 2026. Leave it empty if you do not know."),
    )

    def clean_deadline_date(self) -> datetime.date | None:
        value = self.cleaned_data.get("deadline_date")
        check_deadline_date(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("deadline_date") and not data.get("deadline_kind") and not self.errors:
            self.add_error("deadline_kind", _("Choose what the deadline is for."))
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
            {
                "inputmode": "numeric",
                "autocomplete": "postal-code",
                "class": "input-10",
                "dir": "ltr",
            }
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
            attrs={"inputmode": "numeric", "class": "input-4", "autocomplete": "off", "dir": "ltr"}
        )


class IncomeStep(StepForm):
    income_band = radio(
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
            {"inputmode": "numeric", "class": "input-10", "autocomplete": "off", "dir": "ltr"}
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
    needs_interpreter = radio(
        [("yes", _("Yes")), ("no", _("No"))],
        label=_("Is an interpreter needed to talk with an English-speaking lawyer?"),
        error_messages={"required": _("Choose yes or no.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choice_field("spoken_language").choices = spoken_language_choices()

    def to_answers(self) -> dict[str, Any]:
        return {
            "spoken_language": self.cleaned_data["spoken_language"],
            "needs_interpreter": self.cleaned_data["needs_interpreter"] == "yes",
        }


class ContactStep(StepForm):
    contact_method = radio(
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
        label=pgettext_lazy("contact field", "Email address"),
        required=False,
        max_length=254,
        validators=[validate_email],
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
        self.fields["phone"].widget.attrs.update(
            {"inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}
        )
        self.fields["relative_phone"].widget.attrs.update(
            {"inputmode": "tel", "autocomplete": "off", "dir": "ltr"}
        )
        self.fields["email"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "spellcheck": "false", "dir": "ltr"}
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_contact_details(self, data)
        method = data.get("contact_method")
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
                {
                    "autocomplete": "off",
                    "spellcheck": "false",
                    "autocapitalize": "characters",
                    "dir": "ltr",
                }
            )
