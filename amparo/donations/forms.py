from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amparo.core.lists import DateRangeFilterForm, Sort
from amparo.ledger.currency import format_money, fund_currencies, fund_currency
from amparo.ledger.fields import AmountField, clean_amount
from amparo.ledger.models import Restriction, RestrictionKind
from amparo.vault.validators import validate_email, validate_name

from .models import Appropriation, Channel, Frequency, ReportingFrequency

MAX_ONLINE_GIFT = Decimal("100000")


class GiftForm(forms.Form):
    amount = AmountField(
        label=_("Amount in US dollars"),
        help_text=_("For example 50 or 25.50."),
        max_length=16,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "transaction-amount", "dir": "ltr"}
        ),
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Frequency.choices,
        initial=Frequency.ONCE,
        widget=forms.RadioSelect,
    )
    designation = forms.ChoiceField(
        label=_("Where should your gift go?"),
        required=False,
        help_text=_(
            "Leave it to the fund, or choose a program. Money given for a program is spent only on it."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", _("Wherever it is needed most"))]
        choices += [
            (r.slug, r.name) for r in Restriction.objects.filter(kind="donor").order_by("name")
        ]
        field = self.fields["designation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean_amount(self) -> int:
        cents = int(self.cleaned_data["amount"])
        limit = int(MAX_ONLINE_GIFT * 100)
        if cents > limit:
            raise forms.ValidationError(
                _("For gifts over %(limit)s please contact the fund directly.")
                % {"limit": format_money(limit, fund_currency())}
            )
        return cents


class DonorForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=200,
        help_text=_("Optional. Leave empty to give anonymously (you will get no tax receipt)."),
        validators=[validate_name],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.CharField(
        label=_("Your email"),
        required=False,
        max_length=254,
        help_text=_("Optional. We send the receipt there and never share it."),
        validators=[validate_email],
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    public_consent = forms.BooleanField(
        label=_("You may thank me by name on the public transparency page"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("public_consent") and not (data.get("name") or "").strip():
            self.add_error("name", _("Give the name to show, or leave the box unticked."))
        return data


class ReceiptRequestForm(forms.Form):
    gift = forms.UUIDField()


# --- Public money (staff) ------------------------------------------------------------------


def _currency_choices(*extra: str) -> list[tuple[str, str]]:
    codes = list(fund_currencies())
    codes += [c for c in extra if c and c not in codes]
    return [(c, c) for c in codes]


_AMOUNT_WIDGET = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
_DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _StaffAmountForm(forms.Form):
    """A form with an ``amount`` typed by staff in the chosen ``currency``: once both are clean,
    the amount becomes minor units, or its error stands beside the field."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "amount" in data and data.get("currency"):
            try:
                data["amount"] = clean_amount(data["amount"], data["currency"])
            except forms.ValidationError as error:
                self.add_error("amount", error)
        elif "amount" in data:
            data.pop("amount")
        return data


class AppropriationForm(_StaffAmountForm):
    """A new appropriation; the service checks the rules again and has the last word."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("For example: City detained defense appropriation 2026."),
    )
    funder = forms.CharField(
        label=_("Funder"), max_length=200, help_text=_("For example: City and County council.")
    )
    restriction = forms.TypedChoiceField(
        label=_("Only for"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_(
            "The restriction the money is held under: it can be spent only on that purpose. "
            "Public restrictions are listed first."
        ),
    )
    new_restriction = forms.CharField(
        label=_("Or a new public restriction"),
        required=False,
        max_length=200,
        help_text=_(
            "Only when none in the list fits: its name, for example Detained removal defense."
        ),
    )
    amount = forms.CharField(
        label=_("Amount appropriated"),
        help_text=_("For example 250,000 or 250,000.50."),
        max_length=18,
        widget=_AMOUNT_WIDGET,
    )
    currency = forms.ChoiceField(label=_("Currency"))
    period_start = forms.DateField(label=_("Period starts"), widget=_DATE_WIDGET)
    period_end = forms.DateField(label=_("Period ends"), widget=_DATE_WIDGET)
    reporting = forms.ChoiceField(
        label=_("Reports"),
        choices=ReportingFrequency.choices,
        initial=ReportingFrequency.QUARTERLY,
        help_text=_("How often the fund reports to the funder on this money."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrictions = list(Restriction.objects.order_by("name"))
        groups: list[tuple[Any, Any]] = [("", _("Choose a restriction"))]
        for kind, label in (
            (RestrictionKind.PUBLIC, _("Public restrictions")),
            (RestrictionKind.DONOR, _("Donor restrictions")),
        ):
            options = [(r.pk, r.name) for r in restrictions if r.kind == kind]
            if options:
                groups.append((label, options))
        restriction = self.fields["restriction"]
        assert isinstance(restriction, forms.ChoiceField)
        restriction.choices = groups
        currency = self.fields["currency"]
        assert isinstance(currency, forms.ChoiceField)
        currency.choices = _currency_choices()
        currency.initial = fund_currency()

    def clean_restriction(self) -> Restriction | None:
        pk = self.cleaned_data.get("restriction")
        if pk is None:
            return None
        found = Restriction.objects.filter(pk=pk).first()
        if found is None:  # pragma: no cover - the choices already hold only existing rows
            raise forms.ValidationError(_("Choose a restriction, or name a new public one."))
        return found


class AppropriationPaymentForm(_StaffAmountForm):
    """Money of an appropriation that arrived."""

    amount = forms.CharField(
        label=_("Amount received"),
        help_text=_("For example 60,000 or 60,000.50."),
        max_length=18,
        widget=_AMOUNT_WIDGET,
    )
    currency = forms.ChoiceField(label=_("Currency"))
    received_on = forms.DateField(label=_("Date received"), widget=_DATE_WIDGET)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        help_text=_("The funder's payment or transfer number; each payment has its own."),
    )

    def __init__(self, *args: Any, appropriation: Appropriation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        currency = self.fields["currency"]
        assert isinstance(currency, forms.ChoiceField)
        currency.choices = _currency_choices(appropriation.currency)
        currency.initial = appropriation.currency


# --- the gift list's filters (amparo.core.lists) ------------------------------------------------

GIFT_SORTS = {
    "received": Sort(_("Received"), ("received_on", "created_at")),
    "amount": Sort(_("Amount"), ("amount",)),
    "reference": Sort(_("Reference"), ("reference",)),
}
GIFT_DEFAULT_SORT = "-received"


class GiftFilterForm(DateRangeFilterForm):
    """The gift list's filters: the day received, the channel, whether a receipt went out."""

    date_lookup = "received_on"

    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any channel")), *Channel.choices]
    )
    receipted = forms.ChoiceField(
        label=_("Receipt"),
        required=False,
        choices=[("", _("With or without")), ("yes", _("Receipted")), ("no", _("Not yet"))],
    )

    def narrow(self, queryset: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        queryset = super().narrow(queryset, data)
        if data.get("channel"):
            queryset = queryset.filter(channel=data["channel"])
        if data.get("receipted"):
            queryset = queryset.filter(receipted_at__isnull=data["receipted"] == "no")
        return queryset
