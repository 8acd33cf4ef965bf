"""The notifications page's filter and sorts (amparo.core.lists): unread first, then the newest;
or only the unread ones."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amparo.core.lists import ListFilterForm, Sort

NOTIFICATION_SORTS = {
    "unread": Sort(_("Unread first"), ("unread_last", "-created_at")),
    "date": Sort(_("Date"), ("created_at",)),
}
NOTIFICATION_DEFAULT_SORT = "unread"


class NotificationFilterForm(ListFilterForm):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("All notifications")), ("unread", _("Only unread ones"))],
    )

    def narrow(self, queryset: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        queryset = super().narrow(queryset, data)
        if data.get("show") == "unread":
            queryset = queryset.filter(read_at__isnull=True)
        return queryset
