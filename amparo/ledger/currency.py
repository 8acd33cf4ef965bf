"""ISO 4217 currency codes and their minor units, and money formatted for the active language.

Amounts are integer minor units (cents for USD) everywhere in Amparo; this module is the one
place that knows how many decimals a currency has and how a language writes an amount.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils.translation import get_language

# Active ISO 4217 codes (list of 2024) with their minor units; most have 2.
_ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE = "BHD IQD JOD KWD LYD OMR TND"
_FOUR = "CLF UYW"
_TWO = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP "
    "BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD "
    "FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD "
    "KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD "
    "NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP "
    "SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED "
    "VES WST XCD YER ZAR ZMW ZWG"
)
MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(_TWO.split(), 2),
    **dict.fromkeys(_ZERO.split(), 0),
    **dict.fromkeys(_THREE.split(), 3),
    **dict.fromkeys(_FOUR.split(), 4),
}
_CODE = re.compile(r"^[A-Z]{3}$")
_AMOUNT = re.compile(r"^\d+(?:\.(\d+))?$")
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "MXN": "MX$", "CAD": "CA$"}


class MoneyError(ValueError):
    """An amount or currency that cannot be used; ``code`` says which rule it broke."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def is_currency(code: str) -> bool:
    return bool(_CODE.match(code or "")) and code in MINOR_UNITS


def fund_currencies() -> tuple[str, ...]:
    """The currencies the fund accepts (``AMPARO["CURRENCIES"]``, default US dollars)."""
    configured: Any = settings.AMPARO.get("CURRENCIES") or ("USD",)
    return tuple(str(c).upper() for c in configured)


def fund_currency() -> str:
    return fund_currencies()[0]


def parse_amount(text: str, currency: str) -> int:
    """``"12.50"`` in USD -> 1250. Major units with a dot, no more decimals than the currency
    has, above zero. Raises :class:`MoneyError` with code ``format``, ``decimals`` or
    ``not_positive``."""
    text = (text or "").strip()
    match = _AMOUNT.match(text)
    if not match:
        if text.startswith("-") and _AMOUNT.match(text[1:]):
            raise MoneyError("not_positive")
        raise MoneyError("format")
    places = MINOR_UNITS.get(currency, 2)
    if match.group(1) is not None and len(match.group(1)) > places:
        raise MoneyError("decimals")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already refuses these
        raise MoneyError("format") from exc
    minor = int(value.scaleb(places))
    if minor <= 0:
        raise MoneyError("not_positive")
    return minor


def to_major(cents: int, currency: str) -> Decimal:
    return Decimal(cents).scaleb(-MINOR_UNITS.get(currency, 2))


def plain_amount(cents: int, currency: str) -> str:
    """``1250`` -> ``"12.50"``: the machine form (exports, beancount)."""
    places = MINOR_UNITS.get(currency, 2)
    return f"{to_major(cents, currency):.{places}f}"


def format_money(cents: int, currency: str, language: str | None = None) -> str:
    """Money as the active language writes it: ``$1,234.50`` in English, ``1.234,50 $`` in
    Spanish (digits grouped, the currency's own decimals)."""
    language = (language or get_language() or "en").split("-")[0]
    places = MINOR_UNITS.get(currency, 2)
    major = to_major(abs(cents), currency)
    text = f"{major:,.{places}f}"
    if language == "es":
        text = text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    sign = "-" if cents < 0 else ""
    symbol = _SYMBOLS.get(currency)
    if language == "es":
        return f"{sign}{text}\u00a0{symbol or currency}"
    if symbol:
        return f"{sign}{symbol}{text}"
    return f"{sign}{currency}\u00a0{text}"
