from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    """The query only; the service reads it and refuses what it cannot search for."""

    q = forms.CharField(label=_("Search"), required=False, strip=False)
