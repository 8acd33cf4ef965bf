"""Currencies and money, written and read in the reader's locale, from CLDR (through Babel).

Amounts are integer minor units (cents for USD) everywhere in Amparo; this module is the one
place that knows how many decimals a currency has (CLDR's currency data, not a table of ours)
and how a language writes and reads an amount. Every page, PDF, email and CSV meant for people
writes money with :func:`format_money`; every form reads it with :func:`parse_amount`. Machine
files (exports, beancount, processor imports) use the fixed dot form of :func:`plain_amount` and
:func:`parse_plain_amount`, which never depend on the language.

Which CLDR locale a language uses: the language *in the United States* when CLDR has it
(``en`` -> ``en_US``, ``es`` -> ``es_US``), else the language alone. The fund is a US fund paying
in dollars; its Spanish readers mostly come from Mexico and Central America, where, as on every
US check and price tag, a dollar amount is written ``$1,000.50``. CLDR's ``es_US`` writes exactly
that, while plain ``es`` (Spain's form) writes ``1.000,50 US$``, which would look foreign on a US
receipt. So English and Spanish pages show the same figure; the Spanish page differs in words.

Reading is more forgiving than writing: a Spanish reader from Spain or South America types
``25,50`` or ``1.000,50``. When a language's own CLDR form and its US form disagree on the
decimal symbol (Spanish: ``1.000,50`` and ``1,000.50``), both are read, and a lone separator
followed by exactly three digits (``1,000``, ``1.500``) could be either: the reader is asked
which (:class:`MoneyError` with code ``ambiguous`` and both readings), never guessed for. The
one exception is the figure the page itself writes (``¥1,000``, ``KWD1.000``): typed back as
shown, it means what it meant.
"""

from __future__ import annotations

import copy
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from babel import Locale, localedata
from babel.core import get_global
from babel.numbers import (
    format_currency,
    format_decimal,
    get_currency_precision,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
)
from django.conf import settings
from django.utils.translation import get_language

_CODE = re.compile(r"^[A-Z]{3}$")
_PLAIN = re.compile(r"^\d+(?:\.(\d+))?$")
_SPACES = " \u00a0\u202f\u2009"
# Optional marks (sign, currency) around one number made of digits, separators and spaces.
_SHAPE = re.compile(r"^(?P<pre>[^\d.,]*?)(?P<num>[\d.,](?:[\d.,\s]*[\d.,])?)(?P<post>[^\d.,]*)$")
_SPACE_GROUPED = re.compile(r"^\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?$")
_MINUS = "-\u2212"
#: Direction marks CLDR puts around amounts in right-to-left languages (Arabic writes
#: "\u200f1,500.50 US$"), and that a right-to-left keyboard may type: they carry no value.
_BIDI_MARKS = dict.fromkeys(
    map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
#: The largest amount accepted from a person, in minor units (ten trillion dollars).
MAX_MINOR = 10**15


class MoneyError(ValueError):
    """An amount or currency that cannot be used; ``code`` says which rule it broke:
    ``format``, ``decimals``, ``not_positive``, ``too_large``, ``negative`` (imports) or
    ``ambiguous``, when ``readings`` holds the two amounts (minor units) the text could mean."""

    def __init__(self, code: str, readings: tuple[int, ...] = ()) -> None:
        super().__init__(code)
        self.code = code
        self.readings = readings


@lru_cache(maxsize=1)
def _tender() -> frozenset[str]:
    """Codes CLDR lists as legal tender somewhere today (not XXX, gold or retired money)."""
    territories: Any = get_global("territory_currencies")
    return frozenset(
        code
        for spans in territories.values()
        for code, _start, end, tender in spans
        if end is None and tender
    )


def is_currency(code: str) -> bool:
    """An ISO 4217 code of money in use today, per CLDR (upper case, as the ledger stores it)."""
    return bool(_CODE.match(code or "")) and code in _tender()


def minor_units(currency: str) -> int:
    """Decimals of ``currency`` per CLDR (2 for USD, 0 for JPY, 3 for KWD)."""
    return int(get_currency_precision(currency))


def fund_currencies() -> tuple[str, ...]:
    """The currencies the fund accepts (``AMPARO["CURRENCIES"]``, default US dollars)."""
    configured: Any = settings.AMPARO.get("CURRENCIES") or ("USD",)
    return tuple(str(c).upper() for c in configured)


def fund_currency() -> str:
    return fund_currencies()[0]


#: Languages whose CLDR locale is another country's while the fund's readers live in the US:
#: CLDR's Haitian Creole (``ht``) writes Haiti's French-style ``US$ 1 000,50``; its readers here
#: see ``$1,000.50`` on every US bill, and Amparo's Haitian Creole pages write numbers and dates
#: the US way (config/formats/ht/formats.py), so money follows.
US_FORM_OF = {"ht": "en_US"}


@lru_cache(maxsize=32)
def locale_for(language: str) -> Locale:
    """The CLDR locale of a Django language code: the language in the US when CLDR has it (the
    fund is a US fund; see the module docstring), else the language alone, else English."""
    base = (language or "en").replace("-", "_").split("_")[0].lower()
    if base in US_FORM_OF:
        return Locale.parse(US_FORM_OF[base])
    for name in (f"{base}_US", base):
        if localedata.exists(name):
            return Locale.parse(name)
    return Locale.parse("en_US")


def _locale(language: str | None) -> Locale:
    return locale_for(language or get_language() or settings.LANGUAGE_CODE)


def reads_both_forms(locale: Locale) -> bool:
    """Whether readers of this locale's language also write the other decimal symbol: true when
    the language's own CLDR form and the chosen (US) form disagree, as Spanish ones do."""
    own = Locale.parse(locale.language)
    return bool(get_decimal_symbol(own) != get_decimal_symbol(locale))


def to_major(cents: int, currency: str) -> Decimal:
    return Decimal(cents).scaleb(-minor_units(currency))


def plain_amount(cents: int, currency: str) -> str:
    """``1250`` -> ``"12.50"``: the machine form (exports, beancount), the same in every language."""
    places = minor_units(currency)
    return f"{to_major(cents, currency):.{places}f}"


def format_money(
    cents: int, currency: str, language: str | None = None, *, whole: bool = False
) -> str:
    """Money as the reader's locale writes it (CLDR): ``$1,000.50`` in English and Spanish,
    ``¥1,000``, ``KWD1.000``; the active language unless ``language`` is given. ``whole`` writes
    no decimals, for the figures kept in whole dollars (poverty guidelines, yearly incomes)."""
    locale = _locale(language)
    if not whole:
        return str(format_currency(to_major(cents, currency), currency, locale=locale))
    pattern = copy.copy(locale.currency_formats["standard"])
    pattern.frac_prec = (0, 0)
    return str(
        format_currency(
            to_major(cents, currency),
            currency,
            format=pattern,
            locale=locale,
            currency_digits=False,
        )
    )


def format_amount(
    cents: int, currency: str, language: str | None = None, *, whole: bool = False
) -> str:
    """The number alone, grouped, with the currency's decimals (``1,000.50``; none if
    ``whole``): what a form field shows to edit, and what :func:`parse_amount` reads back."""
    places = 0 if whole else minor_units(currency)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return str(format_decimal(to_major(cents, currency), format=pattern, locale=_locale(language)))


def parse_plain_amount(text: str, currency: str) -> int:
    """The machine form back: ``"12.50"`` in USD -> 1250 (digits, a dot, no grouping), for
    files from processors and banks. Same codes as :func:`parse_amount`."""
    text = (text or "").strip()
    match = _PLAIN.match(text)
    if not match:
        if text[:1] in _MINUS and _PLAIN.match(text[1:]):
            raise MoneyError("not_positive")
        raise MoneyError("format")
    if match.group(1) is not None and len(match.group(1)) > minor_units(currency):
        raise MoneyError("decimals")
    return _to_minor(Decimal(text), currency)


def parse_amount(
    text: str, currency: str, language: str | None = None, *, whole: bool = False
) -> int:
    """What a person typed -> minor units: ``25,50``, ``25.50``, ``1.000,50``, ``$1,000.50``,
    ``1 000,50`` in USD -> 2550, 2550, 100050, 100050, 100050. Raises :class:`MoneyError` with
    ``format``, ``decimals``, ``not_positive``, ``too_large`` or ``ambiguous``. ``whole`` is for
    fields asked in whole units (a yearly income): there, three digits after one separator
    can only be thousands, so ``$31,300`` is never asked about."""
    locale = _locale(language)
    number, negative = _unmarked(text or "", currency, locale)
    value = _read_number(number, currency, locale, whole)
    if negative:
        raise MoneyError("not_positive")
    return _to_minor(value, currency)


def _to_minor(value: Decimal, currency: str) -> int:
    minor = int(value.scaleb(minor_units(currency)))
    if minor <= 0:
        raise MoneyError("not_positive")
    if minor > MAX_MINOR:
        raise MoneyError("too_large")
    return minor


def _currency_marks(currency: str, locale: Locale) -> set[str]:
    """The currency marks a person may type around the number: the code and the symbols of
    the reader's locale, of its language and of US English (``USD``, ``$``, ``US$``)."""
    marks = {currency}
    for loc in (locale, Locale.parse(locale.language), Locale.parse("en_US")):
        marks.add(get_currency_symbol(currency, loc))
    return {mark.translate(_BIDI_MARKS).lower() for mark in marks}


def _unmarked(text: str, currency: str, locale: Locale) -> tuple[str, bool]:
    """The number inside ``text`` and whether a minus sign came with it; the marks around it
    may be one currency mark of ``currency`` and a minus, nothing else."""
    text = text.translate(_BIDI_MARKS).strip()
    # A mark with a dot or a comma in it (the Kuwaiti dinar in Arabic is "د.ك.") would read as
    # part of the number: it comes off first.
    for mark in sorted(_currency_marks(currency, locale), key=len, reverse=True):
        if "." in mark or "," in mark:
            if text.lower().endswith(mark):
                text = text[: -len(mark)].strip()
                break
            if text.lower().startswith(mark):
                text = text[len(mark) :].strip()
                break
    match = _SHAPE.match(text)
    if not match:
        raise MoneyError("format")
    marks = match.group("pre") + " " + match.group("post")
    negative = any(minus in marks for minus in _MINUS)
    marks = "".join(c for c in marks if c not in _MINUS and not c.isspace())
    if marks and marks.lower() not in _currency_marks(currency, locale):
        raise MoneyError("format")
    return match.group("num"), negative


def _read_number(number: str, currency: str, locale: Locale, whole: bool) -> Decimal:
    """The value of a number with separators (see the module docstring for the rules)."""
    places = minor_units(currency)
    if any(space in number for space in _SPACES + "\t"):
        if not _SPACE_GROUPED.match(number):
            raise MoneyError("format")
        return _decimal(re.sub(r"\s", "", number).replace(",", "."), places)
    seps = {c for c in number if c in ".,"}
    if len(seps) == 2:
        return _both_separators(number, places)
    if not seps:
        return _decimal(number, places)
    sep = seps.pop()
    head, _, tail = number.partition(sep)
    if sep in tail:
        return _grouped(number, sep, places)
    if whole and len(tail) == 3 and 1 <= len(head) <= 3 and not head.startswith("0"):
        return Decimal(head + tail)
    return _one_separator(head, sep, tail, currency, locale)


def _decimal(text: str, places: int) -> Decimal:
    """``"1000.5"`` -> Decimal, refusing more decimals than the currency has."""
    whole, _, fraction = text.partition(".")
    if text.endswith(".") or not (whole or fraction):
        raise MoneyError("format")
    if len(fraction) > places:
        raise MoneyError("decimals")
    try:
        return Decimal(text if whole else "0" + text)
    except InvalidOperation as exc:  # pragma: no cover - the callers pass digits and one dot
        raise MoneyError("format") from exc


def _grouped(number: str, group: str, places: int) -> Decimal:
    """``1,000,000``: groups of three after the first; no decimals."""
    if not re.fullmatch(r"\d{1,3}(?:" + re.escape(group) + r"\d{3})+", number):
        raise MoneyError("format")
    return _decimal(number.replace(group, ""), places)


def _both_separators(number: str, places: int) -> Decimal:
    """``1.000,50`` or ``1,000.50``: the last separator is the decimal one, once."""
    decimal = "," if number.rfind(",") > number.rfind(".") else "."
    group = "." if decimal == "," else ","
    whole, _, fraction = number.rpartition(decimal)
    if decimal in whole or not fraction:
        raise MoneyError("format")
    if not re.fullmatch(r"\d{1,3}(?:" + re.escape(group) + r"\d{3})*", whole):
        raise MoneyError("format")
    return _decimal(whole.replace(group, "") + "." + fraction, places)


def _one_separator(head: str, sep: str, tail: str, currency: str, locale: Locale) -> Decimal:
    """``25,50``, ``1,000`` or ``1.500``: a decimal point unless three digits follow a short
    head, when it may be grouping; when the reader's language writes both, ask."""
    places = minor_units(currency)
    if not tail:
        raise MoneyError("format")
    can_group = len(tail) == 3 and 1 <= len(head) <= 3 and not head.startswith("0")
    if not can_group:
        return _decimal(head + "." + tail, places)
    grouped = Decimal(head + tail)
    if not reads_both_forms(locale):
        if sep == get_group_symbol(locale):
            return grouped
        return _decimal(head + "." + tail, places)
    as_decimal = Decimal((head or "0") + "." + tail)
    if places == 0 or as_decimal != as_decimal.quantize(Decimal(1).scaleb(-places)):
        return grouped  # three decimals the currency cannot have: only grouping makes sense
    return _choose(head + sep + tail, (grouped, as_decimal), currency, locale)


def _choose(
    number: str, readings: tuple[Decimal, Decimal], currency: str, locale: Locale
) -> Decimal:
    """The reading whose CLDR form is exactly what was typed, else ask which."""
    minors = tuple(int(r.scaleb(minor_units(currency))) for r in readings)
    shown = [re.sub(r"[^\d.,]", "", format_currency(r, currency, locale=locale)) for r in readings]
    matching = [r for r, form in zip(readings, shown, strict=True) if form == number]
    if len(matching) == 1:
        return matching[0]
    raise MoneyError("ambiguous", readings=minors)
