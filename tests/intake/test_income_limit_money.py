"""The income-limit sentences write the limit with the one money formatter (CLDR), so each
language reads its own form: no "$" of the sentence's own beside a formatted number."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from amparo.intake.explain import ELIGIBILITY_TEXTS, eligibility_sentence
from amparo.intake.public_views import _summary
from amparo.ledger.currency import format_money

pytestmark = pytest.mark.django_db

#: The six sentences that name the income limit, with what each needs besides it.
LIMIT_CODES = (
    "income_unknown",
    "income_below",
    "income_below_fallback",
    "income_above",
    "income_above_fallback",
    "income_range_straddles",
)
PARAMS: dict[str, Any] = {
    "percent": 200,
    "size": 4,
    "limit": 64_300,
    "year": 2025,
    "requested_year": 2026,
}


def _sentence(code: str, language: str) -> str:
    with translation.override(language):
        return eligibility_sentence({"code": code, "params": PARAMS, "outcome": "fail"})


def test_every_sentence_with_a_limit_is_one_of_the_six() -> None:
    assert sorted(c for c, t in ELIGIBILITY_TEXTS.items() if "%(limit)s" in str(t)) == sorted(
        LIMIT_CODES
    )


@pytest.mark.parametrize("code", LIMIT_CODES)
@pytest.mark.parametrize(
    ("language", "household"),
    [("en", "a household of 4 people"), ("es", "un hogar de 4 personas")],
)
def test_the_limit_reads_in_the_cldr_form_in_english_and_spanish(
    code: str, language: str, household: str
) -> None:
    text = _sentence(code, language)
    # CLDR's en_US and es_US (the fund's Spanish readers' form of a dollar amount).
    assert "$64,300 " in text, text
    assert household in text
    assert "$$" not in text and "$ " not in text
    assert "64300" not in text and "64.300" not in text
    assert "A staff member will check this." not in text  # the sentence itself, not the fallback


@pytest.mark.parametrize("code", LIMIT_CODES)
def test_the_sentence_takes_the_whole_figure_from_the_formatter(code: str) -> None:
    """A language whose CLDR form puts the sign elsewhere (Portuguese: ``US$ 64.300``) gets that
    form whole: a sign written into the sentence would make it ``$64.300``."""
    text = _sentence(code, "pt")
    with translation.override("pt"):
        figure = format_money(64_300 * 100, "USD", whole=True)
    assert figure == "US$\xa064.300"
    assert figure in text
    assert f"${figure}" not in text and "$64.300" not in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "More than $75,000"), ("es", "Más de $75,000"), ("pt", "Mais de US$\xa075.000")],
)
def test_the_help_summary_writes_an_open_income_range_with_the_formatter(
    language: str, expected: str
) -> None:
    with translation.override(language):
        rows = _summary({"income_low": 75_000, "income_high": None})
    assert expected in [row["value"] for row in rows]


@pytest.mark.parametrize("language", ["en", "es", "pt"])
def test_the_income_bands_take_their_amounts_from_the_formatter(language: str) -> None:
    """The public form's income ranges: every amount is the formatter's, in the reader's
    language (Portuguese writes US$ 15.000, which a "$" in the label's text never could)."""
    from amparo.intake.forms.public import INCOME_BANDS

    with translation.override(language):
        labels = {key: str(label) for key, (_low, _high, label) in INCOME_BANDS.items()}
        for key, (low, high, _label) in INCOME_BANDS.items():
            if key == "unknown":
                continue
            for amount in (low, high):
                if amount:
                    assert format_money(amount * 100, "USD", whole=True) in labels[key], key
        assert labels["15k_25k"].count("$") == 2
