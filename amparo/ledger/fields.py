"""The one form field for money typed by a person, and its translated messages.

Every form that takes an amount (gifts, public money, grant rounds, budgets, awards, reports)
reads it here, in the active language (:func:`amparo.ledger.currency.parse_amount`), so a Spanish
donor's ``25,50`` and an English one's ``25.50`` both become 2550 cents, and a ``1,000`` that
could mean two amounts is answered with a question instead of a guess.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .currency import (
    MoneyError,
    format_amount,
    format_money,
    fund_currency,
    minor_units,
    parse_amount,
)


def money_error_message(error: MoneyError, currency: str) -> str:
    """What to tell the person whose amount could not be read, in their language."""
    if error.code == "ambiguous":
        first, second = error.readings
        return _(
            "Did you mean %(first)s or %(second)s? Type the amount again with its decimals, "
            "for example %(example)s."
        ) % {
            "first": format_money(first, currency),
            "second": format_money(second, currency),
            "example": format_amount(first, currency),
        }
    if error.code == "decimals":
        places = minor_units(currency)
        return ngettext(
            "%(currency)s has at most %(places)s decimal.",
            "%(currency)s has at most %(places)s decimals.",
            places,
        ) % {"currency": currency, "places": places}
    if error.code == "not_positive":
        return _("Enter an amount more than zero.")
    if error.code == "too_large":
        return _("The amount is too large.")
    return _("Enter an amount of money, for example %(whole)s or %(part)s.") % {
        "whole": format_amount(50 * 10 ** minor_units(currency), currency, whole=True),
        "part": format_amount(2550 * 10 ** max(minor_units(currency) - 2, 0), currency),
    }


def clean_amount(text: str, currency: str) -> int:
    """Minor units from what a person typed, or a ValidationError that says what to fix."""
    try:
        return parse_amount(text, currency)
    except MoneyError as error:
        raise forms.ValidationError(
            money_error_message(error, currency), code=error.code
        ) from error


class AmountField(forms.CharField):
    """Money in one currency (the fund's unless given), typed in the reader's locale; cleans to
    integer minor units. Initial values in minor units are shown as the locale writes them."""

    def __init__(self, *, currency: str | Callable[[], str] = fund_currency, **kwargs: Any):
        kwargs.setdefault("max_length", 24)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)
        self.currency = currency

    def currency_code(self) -> str:
        return self.currency() if callable(self.currency) else self.currency

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return format_amount(value, self.currency_code())
        return value

    def clean(self, value: Any) -> int | None:
        text = super().clean(value)
        if not text:
            return None
        return clean_amount(text, self.currency_code())
