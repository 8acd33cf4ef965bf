"""After a provider accepts, the person's status page names the organization, its public phone
and what happens next, in the person's language; before that it names nobody."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from amparo.referrals.services import referral_accept
from tests.intake.helpers import route

pytestmark = pytest.mark.django_db

NEXT = {
    "en": "will contact you the way you asked, to set up a first meeting",
    "es": "se comunicará con usted de la forma que pidió para fijar una primera reunión",
}


def _status(submission: Any, language: str = "en") -> str:
    response = Client().post(
        "/help/status/",
        {"reference": submission.help_request.reference, "code": submission.status_code},
        HTTP_ACCEPT_LANGUAGE=language,
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_accepted_request_names_the_organization_its_phone_and_what_is_next(
    submit: Any, make_provider: Any, language: str
) -> None:
    org, admin, _profile = make_provider(name="Front Range Detention Defense Project")
    org.public_phone = "(720) 555-0142"
    org.save(update_fields=["public_phone"])
    submission = submit(language=language)
    referral_accept(referral=route(submission.help_request), by=admin)
    html = _status(submission, "en")
    assert f'<html lang="{language}">' in html
    assert "Front Range Detention Defense Project" in html
    assert '<a class="tel" href="tel:+17205550142">(720) 555-0142</a>' in html
    assert NEXT[language] in html
    assert admin.email not in html and admin.last_name not in html


def test_an_organization_without_a_public_phone_is_named_without_one(
    submit: Any, make_provider: Any
) -> None:
    _org, admin, _profile = make_provider(name="Quiet Legal Aid")
    submission = submit(language="en")
    referral_accept(referral=route(submission.help_request), by=admin)
    html = _status(submission)
    assert "Quiet Legal Aid" in html and NEXT["en"] in html
    assert 'href="tel:' not in html


def test_before_a_provider_accepts_nobody_is_named(submit: Any, make_provider: Any) -> None:
    org, _admin, _profile = make_provider(name="Still Deciding Legal Services")
    org.public_phone = "(720) 555-0142"
    org.save(update_fields=["public_phone"])
    submission = submit(language="en")
    route(submission.help_request)
    html = _status(submission)
    assert "Still Deciding Legal Services" not in html and "555-0142" not in html
    assert NEXT["en"] not in html
