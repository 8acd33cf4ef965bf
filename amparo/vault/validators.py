"""Form and model validators built on the normalizers, with translated messages.

Put them on the protected field that feeds a blind index, so bad input is refused beside the
field instead of failing when the index is computed::

    a_number = EncryptedCharField(_("A-number"), max_length=16, validators=[validate_a_number])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .normalize import (
    NormalizationError,
    normalize_a_number,
    normalize_email,
    normalize_name,
    normalize_phone,
)

MESSAGES: dict[str, Any] = {
    "a_number_type": _("Enter an A-number: 8 or 9 digits, like A-012-345-678."),
    "a_number_empty": _("Enter an A-number: 8 or 9 digits, like A-012-345-678."),
    "a_number_characters": _(
        "An A-number has only digits, with an optional A at the start, spaces or dashes."
    ),
    "a_number_length": _("An A-number has 8 or 9 digits."),
    "a_number_zero": _("An A-number cannot be all zeros."),
    "phone_empty": _("Enter a phone number."),
    "phone_unreadable": _("Enter a phone number, like 303 555 0123 or +52 55 1234 5678."),
    "phone_impossible": _("This phone number has too many or too few digits."),
    "name_type": _("Enter a name."),
    "name_empty": _("Enter a name with at least one letter."),
    "email_type": _("Enter an email address, like name@example.org."),
    "email_invalid": _("Enter an email address, like name@example.org."),
}


def _check(normalizer: Callable[[str], str], value: Any) -> None:
    if value in (None, ""):
        return  # emptiness is the field's `blank` business
    try:
        normalizer(str(value))
    except NormalizationError as exc:
        raise ValidationError(
            MESSAGES.get(exc.code, _("Enter a valid value.")), code=exc.code
        ) from exc


# Module-level functions (not closures) so that migrations can name them.
def validate_a_number(value: Any) -> None:
    _check(normalize_a_number, value)


def validate_phone(value: Any) -> None:
    _check(normalize_phone, value)


def validate_name(value: Any) -> None:
    _check(normalize_name, value)


def validate_email(value: Any) -> None:
    _check(normalize_email, value)
