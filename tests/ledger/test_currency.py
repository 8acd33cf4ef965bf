"""Money written and read in the reader's locale (CLDR through Babel), both ways."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from amparo.ledger.currency import (
    MAX_MINOR,
    MoneyError,
    format_amount,
    format_money,
    locale_for,
    minor_units,
    parse_amount,
    parse_plain_amount,
    plain_amount,
)
from amparo.ledger.fields import AmountField, money_error_message

LANGUAGES = [code for code, _name in settings.LANGUAGES]
CURRENCIES = ["USD", "EUR", "JPY", "KWD"]


@hsettings(max_examples=300, deadline=None)
@given(
    cents=st.integers(min_value=1, max_value=MAX_MINOR),
    language=st.sampled_from(LANGUAGES),
    currency=st.sampled_from(CURRENCIES),
)
def test_what_is_written_reads_back_in_every_language(
    cents: int, language: str, currency: str
) -> None:
    written = format_money(cents, currency, language)
    assert parse_amount(written, currency, language) == cents
    assert parse_amount(format_amount(cents, currency, language), currency, language) == cents


@hsettings(max_examples=200, deadline=None)
@given(cents=st.integers(min_value=1, max_value=MAX_MINOR), currency=st.sampled_from(CURRENCIES))
def test_the_machine_form_reads_back(cents: int, currency: str) -> None:
    assert parse_plain_amount(plain_amount(cents, currency), currency) == cents


def test_minor_units_come_from_cldr() -> None:
    assert [minor_units(c) for c in ("USD", "EUR", "JPY", "KWD")] == [2, 2, 0, 3]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "$1,000.50"), ("es", "$1,000.50"), ("es-mx", "$1,000.50")],
)
def test_dollars_are_written_the_us_way_in_english_and_spanish(
    language: str, expected: str
) -> None:
    assert format_money(100050, "USD", language) == expected


def test_the_locales_are_the_languages_in_the_united_states() -> None:
    assert str(locale_for("en")) == "en_US"
    assert str(locale_for("es")) == "es_US"


def test_haitian_creole_writes_dollars_the_us_way_and_russian_its_own() -> None:
    """CLDR's ``ht`` is Haiti's form (``US$ 1 000,50``); readers in the US see ``$1,000.50``."""
    assert format_money(100050, "USD", "ht") == "$1,000.50"
    assert format_money(100050, "USD", "ru") == "1\xa0000,50\xa0$"
    assert parse_amount("1,000.50", "USD", "ht") == 100050


def test_other_currencies_follow_cldr() -> None:
    assert format_money(100000, "JPY", "en") == "¥100,000"
    assert format_money(1000, "KWD", "es") == "KWD1.000"
    assert format_money(-500, "USD", "en") == "-$5.00"
    assert format_money(2100000, "USD", "en", whole=True) == "$21,000"


def test_the_active_language_is_used_when_none_is_given() -> None:
    with translation.override("es"):
        assert parse_amount("1.000,50", "USD") == 100050
        with pytest.raises(MoneyError):
            parse_amount("1,000", "USD")
    with translation.override("en"):
        assert parse_amount("1,000", "USD") == 100000


TYPED = [
    ("25,50", 2550),
    ("25.50", 2550),
    ("1.000,50", 100050),
    ("$1,000.50", 100050),
    ("1 000,50", 100050),
    ("1\u00a0000,50", 100050),
    ("USD 12", 1200),
    ("1,000,000", 100000000),
    (".5", 50),
    ("1,234", 123400),
]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(("text", "cents"), TYPED)
def test_what_people_type(language: str, text: str, cents: int) -> None:
    assert parse_amount(text, "USD", language) == cents


@pytest.mark.parametrize(
    ("language", "text", "code"),
    [
        ("en", "abc", "format"),
        ("es", "abc", "format"),
        ("en", "€5", "format"),
        ("es", "1,0.0.0", "format"),
        ("en", "25.", "format"),
        ("en", "10.999", "decimals"),
        ("es", "12,345.678", "decimals"),
        ("en", "1.000", "decimals"),
        ("en", "0", "not_positive"),
        ("es", "0,00", "not_positive"),
        ("es", "-5", "not_positive"),
        ("en", "$ -5", "not_positive"),
        ("en", "99999999999999999", "too_large"),
    ],
)
def test_what_is_refused(language: str, text: str, code: str) -> None:
    with pytest.raises(MoneyError) as raised:
        parse_amount(text, "USD", language)
    assert raised.value.code == code


@pytest.mark.parametrize("text", ["1,000", "1.000", "1,500", "$1.500"])
def test_a_spanish_reader_is_asked_which_amount_was_meant(text: str) -> None:
    with pytest.raises(MoneyError) as raised:
        parse_amount(text, "USD", "es")
    whole = int(text.strip("$").replace(",", "").replace(".", "")) * 100
    assert raised.value.code == "ambiguous"
    assert raised.value.readings == (whole, whole // 1000)


@pytest.mark.parametrize("language", LANGUAGES)
def test_amounts_asked_in_whole_units_are_never_ambiguous(language: str) -> None:
    assert parse_amount("$31,300", "USD", language, whole=True) == 3_130_000
    assert parse_amount("31.300", "USD", language, whole=True) == 3_130_000
    assert parse_amount("31.30", "USD", language, whole=True) == 3_130


def test_english_readers_group_with_the_comma() -> None:
    assert parse_amount("1,000", "USD", "en") == 100000
    assert parse_amount("1.500", "KWD", "en") == 1500


def test_the_question_names_both_amounts_in_the_readers_language() -> None:
    error = MoneyError("ambiguous", readings=(100000, 100))
    with translation.override("en"):
        assert money_error_message(error, "USD") == (
            "Did you mean $1,000.00 or $1.00? Type the amount again with its decimals, "
            "for example 1,000.00."
        )
    with translation.override("es"):
        message = money_error_message(error, "USD")
    assert "$1,000.00" in message and "$1.00" in message
    assert message.startswith("¿")


def test_the_field_cleans_to_cents_and_shows_cents_as_the_locale_writes_them() -> None:
    field = AmountField(label="Amount")
    with translation.override("es"):
        assert field.clean("25,50") == 2550
        assert field.prepare_value(250000) == "2,500.00"
        with pytest.raises(ValidationError) as raised:
            field.clean("1.000")
    assert raised.value.code == "ambiguous"
    assert "$1,000.00" in raised.value.messages[0] and "$1.00" in raised.value.messages[0]


@pytest.mark.parametrize(
    ("text", "dollars"), [("24.000,00", 24000), ("$31,300", 31300), ("0", 0), ("1 200", 1200)]
)
def test_a_yearly_income_is_read_as_a_spanish_reader_types_it(text: str, dollars: int) -> None:
    from amparo.intake.forms.fields import parse_money

    with translation.override("es"):
        assert parse_money(text) == dollars
        with pytest.raises(ValidationError):
            parse_money("-5")
