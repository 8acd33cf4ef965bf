from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        start = data.get("start") or datetime.date(today.year, 1, 1)
        end = data.get("end") or today
        if start > end:
            self.add_error("end", _("The end of the period must be on or after its start."))
        elif (end - start).days > 366 * 10:
            self.add_error("start", _("Choose a period of ten years or less."))
        data["start"], data["end"] = start, end
        return data
