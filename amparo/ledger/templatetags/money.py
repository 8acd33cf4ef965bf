from __future__ import annotations

from django import template

from amparo.ledger.currency import format_money

register = template.Library()


@register.simple_tag
def money(cents: int | None, currency: str = "USD") -> str:
    """``{% money amount "USD" %}``: minor units written as the active language writes money."""
    return format_money(int(cents or 0), currency)
