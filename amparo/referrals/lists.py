"""The referral inbox's filters and sorts (amparo.core.lists): status, custody, the proposed
attorney and the day it was sent."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amparo.core.lists import DateRangeFilterForm, Sort
from amparo.core.terms import Custody

from .models import ReferralStatus

INBOX_SORTS = {
    "urgency": Sort(_("Most urgent"), ("pending_first", "-help_request__priority", "sent_at")),
    "sent": Sort(_("Sent"), ("sent_at",)),
    "due": Sort(_("Answer due"), ("due_at",)),
}
INBOX_DEFAULT_SORT = "urgency"


class InboxFilterForm(DateRangeFilterForm):
    date_lookup = "sent_at__date"

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Every status")), *ReferralStatus.choices],
    )
    custody = forms.ChoiceField(
        label=_("Custody"), required=False, choices=[("", _("Any custody")), *Custody.choices]
    )
    attorney = forms.TypedChoiceField(
        label=_("Proposed attorney"), required=False, coerce=int, empty_value=None
    )
    field_order = ["status", "custody", "attorney", "date_from", "date_to"]

    def __init__(self, *args: Any, attorneys: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attorney = self.fields["attorney"]
        assert isinstance(attorney, forms.TypedChoiceField)
        attorney.choices = [("", _("Any attorney")), *((str(pk), name) for pk, name in attorneys)]

    def narrow(self, queryset: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        queryset = super().narrow(queryset, data)
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("custody"):
            queryset = queryset.filter(help_request__custody=data["custody"])
        if data.get("attorney") is not None:
            queryset = queryset.filter(attorney_id=data["attorney"])
        return queryset
