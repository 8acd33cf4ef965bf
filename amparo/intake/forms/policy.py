"""The program's intake rules that fund administrators edit, and the confirmation of a new
year's poverty guidelines."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from amparo.core.terms import Custody
from amparo.eligibility import triage
from amparo.organizations.languages import LANGUAGES
from amparo.organizations.models import PracticeArea

from ..models import (
    IntakePolicy,
    PovertyGuideline,
    PovertyRegion,
    UnverifiedPolicy,
)
from ..services import POLICY_FIELDS
from .fields import (
    ChoicesMixin,
    GroupsMixin,
    clean_zip,
    interface_languages,
)


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class PolicyForm(GroupsMixin, ChoicesMixin, forms.Form):
    """A program's intake rules. Lists are one item per line; facilities are ``name | county``
    (add ``| not local`` for a facility the form lists but the program does not serve)."""

    GROUPS = {
        "income": ("income_percent", "poverty_year", "poverty_region", "if_unverified"),
        "where": (
            "public_intake",
            "custodies",
            "zip_codes",
            "counties",
            "facilities",
            "courts",
            "practice_areas",
        ),
        "routing": (
            "interpreter_languages",
            "sla_hours_detained",
            "sla_hours_non_detained",
            "max_referral_attempts",
            "retention_days",
        ),
    }

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
            for name in POLICY_FIELDS
            if name not in ("triage_weights", "referrals_elsewhere")
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
