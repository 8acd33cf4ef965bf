"""Property tests of the blind-index normalizers (pure functions: no database)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import phonenumbers
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from amparo.vault.normalize import (
    NormalizationError,
    normalize_a_number,
    normalize_email,
    normalize_name,
    normalize_phone,
)

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9).filter(lambda d: d != "0" * 9)
eight_digits = st.text(alphabet="0123456789", min_size=8, max_size=8).filter(lambda d: d != "0" * 8)
separators = st.sampled_from(["", " ", "-", "  ", " - ", "\t"])


@st.composite
def decorated(draw: st.DrawFn, digits_strategy: st.SearchStrategy[str]) -> tuple[str, str]:
    """Digits as people write them: maybe an A, maybe spaces and dashes between digits."""
    digits = draw(digits_strategy)
    prefix = draw(st.sampled_from(["", "A", "a", "A-", "A ", " A", "a#"]))
    parts = [prefix]
    for digit in digits:
        parts.append(digit)
        parts.append(draw(separators))
    return digits, "".join(parts) + draw(st.sampled_from(["", " ", "\n"]))


# --- A-numbers ---------------------------------------------------------------------------------


@given(decorated(nine_digits))
@example(("012345678", "A-012-345-678"))
@example(("123456789", "a 123 456 789"))
def test_a_number_keeps_nine_digits_whatever_the_decoration(case: tuple[str, str]) -> None:
    digits, written = case
    assert normalize_a_number(written) == digits


@given(decorated(eight_digits))
@example(("12345678", "A12345678"))
def test_a_number_with_eight_digits_gets_a_leading_zero(case: tuple[str, str]) -> None:
    digits, written = case
    assert normalize_a_number(written) == "0" + digits


@given(st.text(max_size=30))
def test_a_number_output_is_always_nine_ascii_digits_and_stable(text: str) -> None:
    try:
        result = normalize_a_number(text)
    except NormalizationError as exc:
        assert exc.code.startswith("a_number_")
        return
    assert re.fullmatch(r"[0-9]{9}", result)
    assert result != "0" * 9
    assert normalize_a_number(result) == result


@given(decorated(nine_digits), st.sampled_from(list("BXZ.,/_+()")))
def test_a_number_refuses_other_characters(case: tuple[str, str], intruder: str) -> None:
    _, written = case
    middle = len(written) // 2 + 1
    with pytest.raises(NormalizationError):
        normalize_a_number(written[:middle] + intruder + written[middle:])


@given(
    st.text(alphabet="0123456789", min_size=1, max_size=20).filter(lambda d: len(d) not in (8, 9))
)
def test_a_number_refuses_other_lengths(digits: str) -> None:
    with pytest.raises(NormalizationError) as info:
        normalize_a_number("A" + digits)
    assert info.value.code == "a_number_length"


@pytest.mark.parametrize(
    "value", ["", "A", "   ", "A--", "000000000", "A-00000000", "١٢٣٤٥٦٧٨٩", "12345678９"]
)
def test_a_number_refuses_empty_zero_and_non_ascii_digits(value: Any) -> None:
    with pytest.raises(NormalizationError):
        normalize_a_number(value)


# --- Phone numbers -----------------------------------------------------------------------------

REGIONS = ["US", "MX", "GT", "HN", "SV", "VE", "CO", "HT", "ES", "CN", "IN", "BR"]


@st.composite
def example_numbers(draw: st.DrawFn) -> tuple[str, phonenumbers.PhoneNumber]:
    region = draw(st.sampled_from(REGIONS))
    kind = draw(
        st.sampled_from(
            [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]
        )
    )
    number = phonenumbers.example_number_for_type(region, kind)
    assume(number is not None)
    assert number is not None
    return region, number


@given(example_numbers(), st.sampled_from(["E164", "INTERNATIONAL", "RFC3966"]))
def test_phone_formats_of_one_number_give_one_e164(
    case: tuple[str, phonenumbers.PhoneNumber], fmt: str
) -> None:
    _region, number = case
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    written = phonenumbers.format_number(number, getattr(phonenumbers.PhoneNumberFormat, fmt))
    assert normalize_phone(written) == e164
    assert normalize_phone(e164) == e164


@given(st.integers(min_value=200, max_value=999), st.integers(min_value=0, max_value=9999999))
def test_us_national_numbers_are_read_as_us(area: int, rest: int) -> None:
    digits = f"{area}{rest:07d}"
    written = f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    assert normalize_phone(written) == "+1" + digits
    assert normalize_phone(digits, region="US") == "+1" + digits


@given(st.text(max_size=25))
def test_phone_output_is_e164_and_stable(text: str) -> None:
    try:
        result = normalize_phone(text)
    except NormalizationError:
        return
    assert re.fullmatch(r"\+[1-9][0-9]{1,14}", result)
    assert normalize_phone(result) == result


@pytest.mark.parametrize("value", ["", "   ", "call me", "12", "+1 303 555 0123 4567 8901"])
def test_phone_refuses_what_is_not_a_number(value: Any) -> None:
    with pytest.raises(NormalizationError):
        normalize_phone(value)


# --- Names -------------------------------------------------------------------------------------


@given(st.text(max_size=40))
def test_name_is_idempotent_and_clean(text: str) -> None:
    try:
        result = normalize_name(text)
    except NormalizationError:
        return
    assert normalize_name(result) == result
    assert result == result.strip()
    assert "  " not in result
    assert result.casefold() == result
    for char in result:
        category = unicodedata.category(char)
        assert not category.startswith("M"), "no accents or other marks"
        assert category[0] not in "PSC", "no punctuation, symbols or controls"


LATIN = (
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzÁÉÍÓÚÑÜáéíóúñüÀÈÌÒÙàèìòùÇçÂÊÎÔÛâêîôûÃÕãõ"
)


def _without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@given(st.text(alphabet=st.sampled_from(list(LATIN + " -.'")), max_size=30))
def test_name_ignores_case_accents_and_spacing(text: str) -> None:
    assume(any(c.isalpha() for c in text))
    expected = normalize_name(text)
    assert normalize_name(text.upper()) == expected
    assert normalize_name(text.lower()) == expected
    assert normalize_name(_without_accents(text)) == expected
    assert normalize_name("  " + text.replace(" ", "   ") + " ") == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("José  Núñez", "jose nunez"),
        ("JOSÉ NUÑEZ", "jose nunez"),
        ("  maría-josé   o'brien ", "maria jose obrien"),
        ("María José O’Brien", "maria jose obrien"),
        ("Nguyễn Văn An", "nguyen van an"),
        ("Straße", "strasse"),
        ("Ana\tLucía\nPérez", "ana lucia perez"),
    ],
)
def test_name_examples(written: str, expected: Any) -> None:
    assert normalize_name(written) == expected


@pytest.mark.parametrize("value", ["", "   ", "--", "'", "¿?"])
def test_name_refuses_no_letters(value: Any) -> None:
    with pytest.raises(NormalizationError):
        normalize_name(value)


# --- Email -------------------------------------------------------------------------------------

emails = st.emails()


@given(emails, st.sampled_from(["", " ", "\t", "\n "]), st.sampled_from(["", " ", "  \n"]))
def test_email_trims_and_lowercases(email: str, before: str, after: str) -> None:
    result = normalize_email(before + email.upper() + after)
    assert result == email.upper().lower()
    assert normalize_email(email.lower()) == normalize_email(email.upper())
    assert normalize_email(result) == result


@pytest.mark.parametrize(
    "value", ["", "   ", "no-at-sign", "@example.org", "name@", "two words@example.org"]
)
def test_email_refuses_what_is_not_an_address(value: Any) -> None:
    with pytest.raises(NormalizationError):
        normalize_email(value)
