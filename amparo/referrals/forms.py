"""The provider's answer to a referral: accept (with the attorney who leads the case) or decline.

The rules live in the services (``referral_accept``, ``referral_decline``); these forms only
carry the answer, and show the services' refusals beside their fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import DeclineReason
from .selectors import AttorneyChoice, AttorneyChoices


def _attorney_label(choice: AttorneyChoice, language: str) -> str:
    room = ngettext("%(room)s case of room", "%(room)s cases of room", abs(choice.room)) % {
        "room": choice.room
    }
    parts = [choice.profile.user.display_name, room]
    if choice.speaks:
        parts.append(str(_("speaks %(language)s")) % {"language": language})
    return " — ".join(parts)


class AcceptForm(forms.Form):
    attorney = forms.ChoiceField(
        label=_("Lead attorney"),
        error_messages={"required": _("Choose the attorney who will lead the case.")},
    )
    conflict_waived = forms.BooleanField(
        label=_("We checked the possible conflict and can take this case."), required=False
    )

    def __init__(
        self,
        *args: Any,
        choices: AttorneyChoices,
        language: str,
        conflict: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attorney"]
        assert isinstance(field, forms.ChoiceField)
        options: list[Any] = []
        if choices.proposed is None:
            options.append(("", _("Choose an attorney")))
        options += [(str(c.profile.pk), _attorney_label(c, language)) for c in choices.accepting]
        if choices.not_accepting:
            options.append(
                (
                    _("Not accepting cases"),
                    [
                        (str(c.profile.pk), _attorney_label(c, language))
                        for c in choices.not_accepting
                    ],
                )
            )
        field.choices = options
        if choices.proposed is not None:
            field.initial = str(choices.proposed.pk)
        hint = [
            str(
                _(
                    "We propose the attorney with the most room, first among those who speak "
                    "%(language)s. Room is capacity minus open cases and other referrals "
                    "waiting for an answer."
                )
            )
            % {"language": language}
        ]
        if choices.not_accepting:
            hint.append(
                str(
                    _(
                        "Attorneys who said they are not accepting new cases are listed apart, "
                        "under “Not accepting cases”: choose one only if they agreed "
                        "to take this case."
                    )
                )
            )
        field.help_text = " ".join(hint)
        if not conflict:
            del self.fields["conflict_waived"]


class DeclineForm(forms.Form):
    # Optional here: the service's refusal of a missing reason is the one rule and message.
    reason = forms.ChoiceField(
        label=_("Why can you not take it?"),
        choices=DeclineReason.choices,
        widget=forms.RadioSelect,
        required=False,
    )
