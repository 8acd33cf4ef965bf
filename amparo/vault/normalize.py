"""Normalizers for blind indexes: pure functions, no Django.

A blind index only finds a match when two spellings of the same value normalize to the same
string, so each normalizer folds away what people vary when they type a value (case, spaces,
dashes, accents) and refuses what it cannot read, rather than guessing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import phonenumbers

__all__ = [
    "NORMALIZERS",
    "NormalizationError",
    "normalize_a_number",
    "normalize_email",
    "normalize_name",
    "normalize_phone",
]


class NormalizationError(ValueError):
    """The value cannot be normalized. ``code`` names the reason, for translated messages."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


_A_PREFIX = re.compile(r"^\s*[Aa]\s*[-#]?")
_A_SEPARATORS = re.compile(r"[\s\-]+")
_ASCII_DIGITS = re.compile(r"^[0-9]+$")


def normalize_a_number(value: str) -> str:
    """An alien registration number as nine ASCII digits.

    Accepts an optional leading ``A`` (any case), spaces and dashes: ``A-012-345-678``,
    ``a 12345678`` and ``012345678`` all give ``012345678``. Eight digits get a leading zero.
    Anything else (other letters, other punctuation, non-ASCII digits, fewer than eight or more
    than nine digits, all zeros) is refused.
    """
    if not isinstance(value, str):
        raise NormalizationError("a_number_type", "An A-number must be text.")
    rest = _A_PREFIX.sub("", value, count=1)
    digits = _A_SEPARATORS.sub("", rest)
    if not digits:
        raise NormalizationError("a_number_empty", "An A-number needs 8 or 9 digits.")
    if not _ASCII_DIGITS.match(digits):
        raise NormalizationError(
            "a_number_characters",
            "An A-number may only hold digits, spaces, dashes and a leading A.",
        )
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9:
        raise NormalizationError("a_number_length", "An A-number has 8 or 9 digits.")
    if digits == "000000000":
        raise NormalizationError("a_number_zero", "An A-number cannot be all zeros.")
    return digits


def normalize_phone(value: str, region: str = "US") -> str:
    """A phone number in E.164 (``+13035550123``); national numbers are read in ``region``.

    Possible numbers are accepted even when not currently assigned (numbers change hands and
    metadata ages); impossible ones are refused.
    """
    if not isinstance(value, str) or not value.strip():
        raise NormalizationError("phone_empty", "Enter a phone number.")
    try:
        parsed = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise NormalizationError("phone_unreadable", "This is not a phone number.") from exc
    if not phonenumbers.is_possible_number(parsed):
        raise NormalizationError("phone_impossible", "This phone number has the wrong length.")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


_APOSTROPHES = frozenset("'\u2018\u2019\u02bc\u02b9\u0060\u00b4")


def _fold_once(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    kept: list[str] = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category.startswith("M") or char in _APOSTROPHES:
            continue  # accents go; O'Brien and OBrien are one name
        if category[0] in "PSZC":
            kept.append(" ")  # punctuation, symbols, separators, controls split words
        else:
            kept.append(char)
    return " ".join("".join(kept).split())


def normalize_name(value: str) -> str:
    """A person's name for exact matching: case-folded, accents and punctuation removed,
    whitespace collapsed. ``José  Núñez-O'Brien`` gives ``jose nunez obrien``.
    """
    if not isinstance(value, str):
        raise NormalizationError("name_type", "A name must be text.")
    folded = _fold_once(value)
    # Case-folding can produce characters that decompose further (and the reverse), so
    # fold until nothing changes: the result is then stable under normalization.
    for _ in range(4):
        again = _fold_once(folded)
        if again == folded:
            break
        folded = again
    if not folded:
        raise NormalizationError("name_empty", "A name needs at least one letter or digit.")
    return folded


def normalize_email(value: str) -> str:
    """An email address, trimmed and lowercased. It must have one ``@`` with text on both sides."""
    if not isinstance(value, str):
        raise NormalizationError("email_type", "An email address must be text.")
    email = value.strip().lower()
    local, sep, domain = email.rpartition("@")
    if not sep or not local or not domain or any(c.isspace() for c in email):
        raise NormalizationError("email_invalid", "This is not an email address.")
    return email


NORMALIZERS: dict[str, Callable[[str], str]] = {
    "a_number": normalize_a_number,
    "phone": normalize_phone,
    "name": normalize_name,
    "email": normalize_email,
}
