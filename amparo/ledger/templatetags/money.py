from __future__ import annotations

from django import template

from amparo.ledger.currency import format_money, minor_units

register = template.Library()


@register.simple_tag
def money(amount: int | None, currency: str = "USD", major: bool = False) -> str:
    """``{% money amount "USD" %}``: minor units written as the active language writes money.
    ``major=True`` for the few figures kept in whole major units (poverty guidelines, incomes
    typed in dollars), so they go through the same formatter instead of a ``$`` of their own."""
    value = int(amount or 0)
    if major:
        return format_money(value * 10 ** minor_units(currency), currency, whole=True)
    return format_money(value, currency)
