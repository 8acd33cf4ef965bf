"""The intake queue's filters and sorts (amparo.core.lists): state, custody, priority, dates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amparo.core.lists import DateRangeFilterForm, Sort
from amparo.core.terms import Custody

from ..models import RequestState
from ..selectors import QUEUE_FILTERS

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


class QueueFilterForm(DateRangeFilterForm):
    """The queue's filters; a blank state means the open requests."""

    state = forms.ChoiceField(label=_("State"), required=False)
    custody = forms.ChoiceField(
        label=_("Custody"),
        required=False,
        choices=[("", _("Any custody")), *Custody.choices],
    )
    min_priority = forms.IntegerField(
        label=_("Priority at least"), required=False, min_value=0, max_value=1_000_000
    )

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
        if data.get("custody"):
            queryset = queryset.filter(custody=data["custody"])
        if data.get("min_priority") is not None:
            queryset = queryset.filter(priority__gte=data["min_priority"])
        return queryset
