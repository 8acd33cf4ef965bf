"""On a phone, a person whose request was accepted reads who took it, calls them with one tap,
and reads what happens next, in their language (every page checked by axe-core)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from amparo.referrals.services import referral_accept
from tests.intake.helpers import *  # noqa: F403
from tests.intake.helpers import route

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
WORDS = {
    "en": {
        "locale": "en-US",
        "reference": "Reference",
        "code": "Private status code",
        "check": "Check the status",
        "title": "A lawyer accepted your case",
        "team": "Your legal team",
        "next": "What happens next",
    },
    "es": {
        "locale": "es-MX",
        "reference": "Referencia",
        "code": "Código privado de estado",
        "check": "Consultar el estado",
        "title": "Un abogado aceptó su caso",
        "team": "Su equipo legal",
        "next": "Qué pasa ahora",
    },
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_after_a_provider_accepts_the_person_reads_who_and_what_next_on_a_phone(
    open_page: Any, submit: Any, make_provider: Any, language: str
) -> None:
    org, admin, _profile = make_provider(name="Front Range Detention Defense Project")
    org.public_phone = "(720) 555-0142"
    org.save(update_fields=["public_phone"])
    submission = submit(language=language)
    referral_accept(referral=route(submission.help_request), by=admin)
    words = WORDS[language]

    page = open_page(locale=words["locale"])
    page.set_viewport_size(PHONE)
    page.goto("/help/status/")
    page.get_by_label(words["reference"]).fill(submission.help_request.reference)
    page.get_by_label(words["code"]).fill(submission.status_code)
    page.get_by_role("button", name=words["check"]).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(words["title"])
    team = page.get_by_role("region", name=words["team"])
    expect(team).to_contain_text("Front Range Detention Defense Project")
    call = team.get_by_role("link", name="(720) 555-0142")
    expect(call).to_be_visible()
    expect(call).to_have_attribute("href", "tel:+17205550142")
    expect(team.get_by_role("heading", name=words["next"])).to_be_visible()
    box = call.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    screenshot(page, f"help-status-placed-{language}")

    # Back returns to the empty form, sending nothing again; the result is not kept.
    page.go_back()
    expect(page).to_have_url(re.compile(r"/help/status/$"))
    expect(page.get_by_label(words["reference"])).to_have_value("")
    page.goto("/help/status/result/")
    expect(page).to_have_url(re.compile(r"/help/status/$"))
