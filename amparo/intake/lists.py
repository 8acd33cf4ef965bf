"""Filters and sorts of lists of help requests (amparo.core.lists): the intake queue (state,
custody, priority, dates) and the escalation queue (the same without the state)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amparo.core.lists import DateRangeFilterForm, Sort
from amparo.core.terms import Custody

from .models import RequestState
from .selectors import QUEUE_FILTERS

QUEUE_SORTS = {
    "priority": Sort(_("Priority"), ("priority", "-created_at")),
    "received": Sort(pgettext_lazy("help request", "Received"), ("created_at",)),
    "reference": Sort(_("Reference"), ("reference",)),
}
QUEUE_DEFAULT_SORT = "-priority"

STATE_LABELS = {
    "open": pgettext_lazy("help requests", "Open"),
    RequestState.NEEDS_REVIEW: _("Needs review"),
    RequestState.WAITING: _("Waiting"),
    RequestState.REFERRED: _("Referred"),
    RequestState.ESCALATED: _("Escalated"),
    RequestState.PLACED: _("Placed"),
    "closed": pgettext_lazy("help requests", "Closed"),
    "all": _("Every state"),
}


class HelpRequestFilterForm(DateRangeFilterForm):
    """Custody, a lowest priority and the day the request arrived."""

    custody = forms.ChoiceField(
        label=_("Custody"),
        required=False,
        choices=[("", _("Any custody")), *Custody.choices],
    )
    min_priority = forms.IntegerField(
        label=_("Priority at least"), required=False, min_value=0, max_value=1_000_000
    )

    def narrow(self, queryset: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        queryset = super().narrow(queryset, data)
        if data.get("custody"):
            queryset = queryset.filter(custody=data["custody"])
        if data.get("min_priority") is not None:
            queryset = queryset.filter(priority__gte=data["min_priority"])
        return queryset


class QueueFilterForm(HelpRequestFilterForm):
    """The intake queue's filters; a blank state means the open requests."""

    state = forms.ChoiceField(label=_("State"), required=False)
    field_order = ["state", "custody", "min_priority", "date_from", "date_to"]

    def __init__(self, *args: Any, counts: dict[str, int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        counts = counts or {}
        state = self.fields["state"]
        assert isinstance(state, forms.ChoiceField)
        state.choices = [
            ("" if key == "open" else key, f"{label} ({counts[key]})" if key in counts else label)
            for key, label in STATE_LABELS.items()
        ]

    def narrow(self, queryset: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        queryset = super().narrow(queryset, data)
        state = data.get("state") or "open"
        if state != "all":
            queryset = queryset.filter(state__in=QUEUE_FILTERS[state])
        return queryset
