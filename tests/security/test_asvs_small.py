"""Small controls the ASVS 5.0 review asked for: no composition rules for passwords, request ids
only from our own proxy, formula-like CSV cells neutralized, a strict CSP base."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from amparo.audit.csv_export import FORMULA_STARTS

pytestmark = pytest.mark.django_db


def test_a_long_password_of_digits_only_is_accepted_and_a_short_one_is_not() -> None:
    validate_password("8317460925731846")  # ASVS 6.2.5: no composition rules
    with pytest.raises(ValidationError):
        validate_password("83174609")


@pytest.mark.parametrize(("proxies", "kept"), [(0, False), (1, True)])
def test_the_request_id_is_taken_from_the_request_only_behind_our_proxy(
    client: Client, proxies: int, kept: bool
) -> None:
    chosen = "0123456789abcdef0123456789abcdef"
    with override_settings(AMPARO_TRUSTED_PROXIES=proxies):
        response = client.get("/", HTTP_X_REQUEST_ID=chosen)
    assert (response["X-Request-Id"] == chosen) is kept
    assert len(response["X-Request-Id"]) == 32


def test_a_cell_starting_with_a_nul_is_neutralized_like_a_formula() -> None:
    assert "\0" in FORMULA_STARTS
