from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class VisibilityForm(forms.Form):
    hidden = forms.TypedChoiceField(
        label=_("Show this language to the public?"),
        choices=[("0", _("Show it")), ("1", _("Hide it"))],
        coerce=lambda value: value == "1",
        error_messages={"required": _("Choose to show or hide the language.")},
    )


class SignOffForm(forms.Form):
    """Nothing to fill in: the button is the statement "I read it and it is right"."""
