"""What the intake forms share: the date-in-three-boxes field, money and ZIP cleaning, the
deadline date's sanity check and the interface languages (the hearing date's is
:mod:`amparo.core.hearing_dates`)."""

from __future__ import annotations

import datetime
import re
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.ledger.currency import MoneyError, parse_amount

from ..models import ContactMethod

MAX_HOUSEHOLD = 30
MAX_INCOME = 10_000_000
OTHER = "other"
_ZIP = re.compile(r"^\d{5}(?:-?\d{4})?$")


def parse_money(value: Any) -> int | None:
    """Whole dollars from ``"$31,300"``, ``"31.300,00"``, ``"31300"`` or ``31300`` (read as the
    reader's language writes money, cents dropped); ``ValidationError`` otherwise."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValidationError(_("Enter an amount in dollars, like 24000."), code="invalid")
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float) and value.is_integer():
        amount = int(value)
    else:
        amount = _typed_dollars(str(value))
    if not 0 <= amount <= MAX_INCOME:
        raise ValidationError(_("Enter an amount from $0 to $10,000,000."), code="range")
    return amount


def _typed_dollars(text: str) -> int:
    """Whole dollars from what a person typed; a zero income is an answer, not a mistake."""
    try:
        return parse_amount(text, "USD", whole=True) // 100
    except MoneyError as error:
        if error.code == "not_positive" and not text.strip().startswith("-"):
            return 0
        raise ValidationError(
            _("Enter an amount in dollars, like 24000."), code="invalid"
        ) from error


def clean_zip(value: str) -> str:
    value = (value or "").strip()
    if value and not _ZIP.match(value):
        raise ValidationError(_("Enter a 5-digit ZIP code, like 80203."), code="zip")
    return value[:5]


def check_deadline_date(value: datetime.date | None) -> None:
    """A running deadline is today or later (a passed one is no longer running), within a year."""
    if value is None:
        return
    today = timezone.localdate()
    if value < today:
        raise ValidationError(
            _("This date has passed. Enter the last day of a deadline that is still running."),
            code="past",
        )
    if value > today + datetime.timedelta(days=365):
        raise ValidationError(_("Enter a date within the next year."), code="future")


def check_contact_details(form: forms.Form, data: dict[str, Any]) -> None:
    """The phone number or email address the chosen contact method needs is there (each
    form checks the relative's details in its own words)."""
    method = data.get("contact_method")
    if (
        method in (ContactMethod.PHONE, ContactMethod.WHATSAPP)
        and not data.get("phone")
        and "phone" not in form.errors
    ):
        form.add_error("phone", _("Enter the phone number to call or write to."))
    if method == ContactMethod.EMAIL and not data.get("email") and "email" not in form.errors:
        form.add_error("email", _("Enter the email address."))


def interface_languages() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


class DateParts(forms.MultiWidget):
    """Day, month and year in three boxes (GOV.UK's date pattern): no date picker needed."""

    template_name = "intake/widgets/date_parts.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "dir": "ltr",
                    "maxlength": "2",
                    "class": "input-2",
                    "autocomplete": "off",
                }
            ),
            "month": forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "dir": "ltr",
                    "maxlength": "2",
                    "class": "input-2",
                    "autocomplete": "off",
                }
            ),
            "year": forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "dir": "ltr",
                    "maxlength": "4",
                    "class": "input-4",
                    "autocomplete": "off",
                }
            ),
        }
        super().__init__(widgets, attrs)

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_0" if id_ else ""

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            try:
                parsed = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
            return [parsed.day, parsed.month, parsed.year]
        return [None, None, None]


class DatePartsField(forms.MultiValueField):
    widget = DateParts
    default_error_messages = {
        "incomplete": _("Enter the day, the month and the year, or leave all three empty."),
        "invalid": _("Enter a real date, like 27 3 2026."),
    }

    def __init__(self, **kwargs: Any) -> None:
        fields = (
            forms.CharField(max_length=2),
            forms.CharField(max_length=2),
            forms.CharField(max_length=4),
        )
        kwargs.setdefault("require_all_fields", False)
        super().__init__(fields, **kwargs)

    def compress(self, data_list: list[Any]) -> datetime.date | None:
        parts = [str(p or "").strip() for p in (data_list or [])]
        if not any(parts):
            return None
        if not all(parts):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        if not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return datetime.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def clean(self, value: Any) -> Any:
        # All three empty is "not known": no per-part "required" errors.
        if isinstance(value, list | tuple) and not any(str(v or "").strip() for v in value):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        return super().clean(value)


class ChoicesMixin:
    fields: dict[str, forms.Field]

    def _choice_field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field


class GroupsMixin:
    """Fields by page section: a form names its sections' fields in ``GROUPS`` and the template
    loops over ``form.groups.<section>`` with the one field include, instead of one include
    line per field (the order and the markup then come from one place)."""

    GROUPS: dict[str, tuple[str, ...]] = {}

    @property
    def groups(self) -> dict[str, list[forms.BoundField]]:
        form = cast(forms.Form, self)
        return {group: [form[name] for name in names] for group, names in self.GROUPS.items()}


def radio(choices: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **kwargs)
