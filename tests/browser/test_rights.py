"""A person on a phone reads their rights, prints the card and makes a family plan, in English
and in Spanish; afterwards the server holds none of what they typed."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from amparo.rights.forms import PLAN_STEPS
from tests.rights import pdftext
from tests.rights.storage import (
    cache_holding,
    files_holding,
    needles,
    plan_answers,
    rows_holding,
)

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 360, "height": 740}

TEXT = {
    "en": {
        "locale": "en-US",
        "rights_link": "Read what to do if immigration agents come",
        "topic": "If agents come to your home",
        "card": "Print a rights card for your wallet",
        "card_pdf": "Download the card (PDF)",
        "plan": "Make a family plan: who picks up the children",
        "start": "Start the plan",
        "continue": "Continue",
        "review": "Check your family plan",
        "download": "Download my plan (PDF)",
        "pdf_title": "Family preparedness plan",
    },
    "es": {
        "locale": "es-MX",
        "rights_link": "Lea qué hacer si llegan agentes de inmigración",
        "topic": "Si los agentes llegan a su casa",
        "card": "Imprima una tarjeta de derechos para su cartera",
        "card_pdf": "Descargar la tarjeta (PDF)",
        "plan": "Haga un plan familiar: quién recoge a los niños",
        "start": "Empezar el plan",
        "continue": "Continuar",
        "review": "Revise su plan familiar",
        "download": "Descargar mi plan (PDF)",
        "pdf_title": "Plan de preparación familiar",
    },
}


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("language", ["en", "es"])
def test_read_print_and_plan_on_a_phone_and_nothing_is_kept(
    open_page: Callable[..., Page],
    language: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    fund_settings: dict[str, str],
) -> None:
    caplog.set_level(logging.DEBUG)
    words = TEXT[language]
    page = open_page(locale=words["locale"])
    page.set_viewport_size(PHONE)

    # Read: from the home page to a rights topic.
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator('a[href="tel:+13035550100"]').first).to_be_visible()
    page.get_by_role("link", name=words["rights_link"]).click()
    expect(page).to_have_url(re.compile(r"/rights/$"))
    _fits(page)
    screenshot(page, f"rights-index-{language}")
    page.get_by_role("link", name=words["topic"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["topic"])
    expect(page.locator("a.tel")).to_have_attribute("href", "tel:+13035550100")
    _fits(page)
    screenshot(page, f"rights-topic-{language}")

    # Print the card: the page and its PDF, two sides.
    page.goto("/rights/")
    page.get_by_role("link", name=words["card"]).click()
    expect(page.locator(".rights-card")).to_have_count(2)
    href = page.get_by_role("link", name=words["card_pdf"]).get_attribute("href")
    assert href is not None
    card = page.request.get(href)
    assert card.ok and card.headers["content-type"] == "application/pdf"
    assert pdftext.page_count(card.body()) == 2
    page.emulate_media(media="print")
    expect(page.get_by_role("link", name=words["card_pdf"])).to_be_hidden()
    page.emulate_media(media="screen")

    # Make a family plan, one question per page, and download it.
    answers = plan_answers(11 if language == "en" else 12, "en_US" if language == "en" else "es_MX")
    page.goto("/rights/")
    page.get_by_role("link", name=words["plan"]).click()
    page.get_by_role("button", name=words["start"]).click()
    for step in PLAN_STEPS:
        with_question = page.get_by_label(str_in(step.question, language))
        expect(with_question).to_be_visible()
        expect(page.locator("textarea")).to_have_count(1)
        with_question.fill(answers[step.name])
        _fits(page)
        page.get_by_role("button", name=words["continue"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["review"])
    for value in answers.values():
        expect(page.get_by_text(value)).to_be_visible()
    if language == "en":
        screenshot(page, "rights-plan-review-en")
    with page.expect_download() as info:
        page.get_by_role("button", name=words["download"]).click()
    download = info.value
    assert download.suggested_filename == "family-plan.pdf"
    target = tmp_path / "plan.pdf"
    download.save_as(target)
    text = pdftext.flat(target.read_bytes())
    assert words["pdf_title"] in text
    for value in answers.values():
        assert " ".join(value.split()) in text

    # Nothing typed is on the server: not in any table, the database file, a cache or a log.
    values = needles(answers)
    assert rows_holding(values) == []
    assert files_holding(values) == []
    assert cache_holding(values) == []
    cookies = {c["name"] for c in page.context.cookies()}
    assert "sessionid" not in cookies
    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    out, err = capfd.readouterr()
    for value in values:
        assert value not in logged and value not in out and value not in err


def str_in(text: Any, language: str) -> str:
    from django.utils import translation

    with translation.override(language):
        return str(text)
