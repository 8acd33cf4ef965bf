from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.accounts.roles import STAFF_ROLES
from amparo.core.lists import DateInput, ListFilterForm, Sort

from .models import AuditEvent
from .selectors import SYSTEM, audit_events_filtered

_OBJECT_TYPE = re.compile(r"^[a-z][a-z0-9_.]{0,99}$")
_OBJECT_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


AUDIT_SORTS = {"number": Sort(_("Number"), ("seq",))}
AUDIT_DEFAULT_SORT = "-number"


class AuditFilterForm(ListFilterForm):
    """The audit log's filters. Everything here travels in the URL, so it holds ids only."""

    actor = forms.ChoiceField(label=_("Who"), required=False)
    object_type = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=100,
        help_text=_("For example vault.subject or audit.auditevent."),
    )
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        staff = (
            User.objects.filter(role__in=STAFF_ROLES).order_by("email").values_list("pk", "email")
        )
        actor = self.fields["actor"]
        assert isinstance(actor, forms.ChoiceField)
        actor.choices = [
            ("", _("Anyone")),
            (SYSTEM, _("The system")),
            *((str(pk), email) for pk, email in staff),
        ]

    def clean_object_type(self) -> str:
        value = str(self.cleaned_data["object_type"]).strip().lower()
        if value and not _OBJECT_TYPE.match(value):
            raise forms.ValidationError(
                _(
                    "Enter an object type as app.model, in lowercase letters, for example vault.subject."
                ),
                code="invalid",
            )
        return value

    def clean_object_id(self) -> str:
        value = str(self.cleaned_data["object_id"]).strip()
        if value and not _OBJECT_ID.match(value):
            raise forms.ValidationError(
                _("An object id is made of letters, digits and dashes."), code="invalid"
            )
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error(
                "date_to", _("The end date must be the same as or after the start date.")
            )
        return cleaned

    def narrow(self, queryset: QuerySet[Any], data: dict[str, Any]) -> QuerySet[AuditEvent]:
        return audit_events_filtered(queryset, **self.filters())

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "actor": data.get("actor") or "",
            "object_type": data.get("object_type") or "",
            "object_id": data.get("object_id") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
