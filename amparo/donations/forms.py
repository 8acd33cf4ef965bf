from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.ledger.currency import MoneyError, fund_currency, parse_amount
from amparo.ledger.models import Restriction
from amparo.vault.validators import validate_email, validate_name

from .models import Frequency

MAX_ONLINE_GIFT = Decimal("100000")


class GiftForm(forms.Form):
    amount = forms.CharField(
        label=_("Amount in US dollars"),
        help_text=_("For example 50 or 25.50."),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "transaction-amount"}
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
        raw = self.cleaned_data["amount"].strip().replace("$", "").replace(",", "")
        try:
            cents = parse_amount(raw, fund_currency())
        except MoneyError as exc:
            if exc.code == "decimals":
                raise forms.ValidationError(_("Use at most two decimals (cents).")) from exc
            if exc.code == "not_positive":
                raise forms.ValidationError(_("Enter an amount more than zero.")) from exc
            raise forms.ValidationError(_("Enter an amount in dollars, like 50 or 25.50.")) from exc
        if cents > int(MAX_ONLINE_GIFT * 100):
            raise forms.ValidationError(
                _("For gifts over $100,000 please contact the fund directly.")
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
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
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
