"""Forms: the rights page editor, and the family plan (whose answers are never stored)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import markup
from .models import MAX_BODY, MAX_NOTE, MAX_REVIEWER, MAX_SUMMARY, MAX_TITLE

_MARKUP_MESSAGES = {
    "html": _("Write plain text. HTML tags are not allowed."),
    "link": _(
        "A link can only go to a page of this site (starting with /), a tel: number or an approved outside site."
    ),
    "heading": _("A line starting with ## needs words after it."),
    "empty": _("Write at least one paragraph."),
}


class PageEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=MAX_SUMMARY,
        help_text=_("One or two short sentences, shown in the list of topics."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=MAX_BODY,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_(
            "Plain text. Leave a blank line between paragraphs. Start a line with ## for a heading, "
            "or with - for a list. Links: [words](/help/)."
        ),
    )
    reviewed = forms.DateField(
        label=_("Last reviewed"),
        help_text=_("The date a person checked this text. For example: 2026-01-31."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reviewed_by = forms.CharField(
        label=_("Reviewed by"),
        max_length=MAX_REVIEWER,
        required=False,
        strip=True,
        help_text=_(
            "Who checked this text, as the public page should name them. For example: "
            "Ana Ruiz, immigration attorney."
        ),
    )
    published = forms.BooleanField(
        label=_("Publish this version now"),
        required=False,
        initial=True,
        help_text=_(
            "If you do not publish, the version is kept but the public page does not change."
        ),
    )
    note = forms.CharField(
        label=_("What changed"),
        max_length=MAX_NOTE,
        required=False,
        help_text=_("A few words for the history, for example: new bond rules."),
    )

    def clean_body(self) -> str:
        body = str(self.cleaned_data["body"]).replace("\r\n", "\n")
        found = markup.problems(body)
        if found:
            raise forms.ValidationError([_MARKUP_MESSAGES[code] for code in found])
        return body

    def clean_title(self) -> str:
        return self._no_html("title")

    def clean_summary(self) -> str:
        return self._no_html("summary")

    def clean_note(self) -> str:
        return self._no_html("note")

    def _no_html(self, name: str) -> str:
        value = str(self.cleaned_data.get(name, ""))
        if "html" in markup.problems(value + "\n\nx"):
            raise forms.ValidationError(_MARKUP_MESSAGES["html"])
        return value

    def clean_reviewed(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["reviewed"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The review date cannot be in the future."))
        if value.year < 2000:
            raise forms.ValidationError(_("Enter a real date, for example 2026-01-31."))
        return value


# --- The family plan ----------------------------------------------------------------------

MAX_ANSWER = 1500


@dataclass(frozen=True)
class PlanStep:
    name: str
    question: Any  # lazy translations
    hint: Any
    heading: Any  # the section title in the PDF
    required: bool = False


PLAN_STEPS: tuple[PlanStep, ...] = (
    PlanStep(
        "children",
        _("Who are your children?"),
        _("Their names, birthdays and schools. One child per line. You can leave this empty."),
        _("Children"),
    ),
    PlanStep(
        "pickup",
        _("Who can pick up your children if you cannot?"),
        _(
            "Names and phone numbers of adults you trust. Tell the school and these people about your plan."
        ),
        _("Who can pick up the children"),
        required=True,
    ),
    PlanStep(
        "contacts",
        _("Who should we call in an emergency?"),
        _("Family or friends to call if something happens to you, with their phone numbers."),
        _("Emergency contacts"),
    ),
    PlanStep(
        "documents",
        _("Where are your important papers?"),
        _(
            "For example: passports, birth certificates, immigration papers, the lease, bank cards. Say where they are, not the numbers on them."
        ),
        _("Where the important papers are"),
    ),
    PlanStep(
        "medical",
        _("Does anyone in your family have medical needs?"),
        _("Allergies, medicines, doctors and health insurance, for you and your children."),
        _("Medical needs"),
    ),
    PlanStep(
        "lawyer",
        _("Who is your lawyer, or which hotline should your family call?"),
        _("If you do not have a lawyer, write the hotline number shown below."),
        _("Lawyer or hotline"),
    ),
)
STEP_NAMES = tuple(step.name for step in PLAN_STEPS)


class FamilyPlanForm(forms.Form):
    """Every answer, carried from page to page in the form itself (hidden fields).

    Nothing here is saved anywhere: the view only reads the POST body and writes HTML or a
    PDF back.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for step in PLAN_STEPS:
            self.fields[step.name] = forms.CharField(
                label=step.question,
                help_text=step.hint,
                required=False,
                max_length=MAX_ANSWER,
                widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off"}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in STEP_NAMES:
            value = cleaned.get(name)
            if isinstance(value, str):
                cleaned[name] = value.replace("\r\n", "\n").replace("\r", "\n")
        return cleaned

    def answers(self) -> dict[str, str]:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {name: str(data.get(name, "") or "") for name in STEP_NAMES}
