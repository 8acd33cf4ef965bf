"""The language a person speaks is asked apart from the page's language, and routing uses it:
Mayan languages with no written version here reach an attorney through an interpreter."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from amparo.core.services import SYSTEM
from amparo.intake.forms.public import LanguageStep
from amparo.intake.models import EscalationReason, HelpRequest, RequestState
from amparo.organizations.languages import LANGUAGES, OTHER_LANGUAGE, language_name
from amparo.referrals.routing import candidates
from amparo.referrals.services import referral_route
from tests.clock import frozen

from .test_public_flow import complete_flow

pytestmark = [pytest.mark.django_db, frozen]

#: ISO 639-3 codes of languages spoken in detention that have no written version here.
MAYAN_AND_GARIFUNA = {
    "quc": "K'iche'",
    "mam": "Mam",
    "kjb": "Q'anjob'al",
    "knj": "Akateko",
    "cac": "Chuj",
    "ixl": "Ixil",
    "cak": "Kaqchikel",
    "kek": "Q'eqchi'",
    "cab": "Garifuna",
}


def _submit(client: Client, spoken: str) -> HelpRequest:
    token = complete_flow(client, spoken_language=spoken)
    response = client.post(
        "/help/check/", {"token": token, "consent": "on"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return HelpRequest.objects.get()


def test_the_spoken_language_list_has_the_languages_of_detention_and_other(policy: Any) -> None:
    choices = dict(LanguageStep(policy=policy, answers={}).fields["spoken_language"].choices)
    for code, name in MAYAN_AND_GARIFUNA.items():
        assert code in LANGUAGES and str(LANGUAGES[code]) == name
        assert choices[code] == name
    assert choices[OTHER_LANGUAGE] == "Another language"
    assert list(choices)[-1] == OTHER_LANGUAGE  # after the sorted list, not in the middle
    assert language_name(OTHER_LANGUAGE) == "Another language"


def test_a_form_with_an_unknown_language_is_refused(policy: Any) -> None:
    form = LanguageStep(
        data={"spoken_language": "xx", "needs_interpreter": "no"}, policy=policy, answers={}
    )
    assert not form.is_valid() and "spoken_language" in form.errors


def test_the_page_language_and_the_spoken_language_are_kept_apart(
    policy: Any, make_provider: Any
) -> None:
    policy.interpreter_languages = ["kjb"]
    policy.save()
    _org, _admin, spanish_speaker = make_provider(languages=("en", "es"))
    request = _submit(Client(), "kjb")
    # The pages were in Spanish; the person speaks Q'anjob'al.
    assert request.language == "es" and request.spoken_language == "kjb"
    found = candidates(request, policy)
    assert [c.attorney for c in found] == [spanish_speaker]
    assert found[0].interpreter  # routing flags the interpreter the fund must provide
    referral = referral_route(help_request=request, by=SYSTEM)
    assert referral is not None and referral.interpreter


def test_an_attorney_who_speaks_it_comes_before_an_interpreter(
    policy: Any, make_provider: Any
) -> None:
    policy.interpreter_languages = ["cac"]
    policy.save()
    make_provider(languages=("en", "es"))
    _org, _admin, chuj_speaker = make_provider(languages=("es", "cac"))
    request = _submit(Client(), "cac")
    found = candidates(request, policy)
    assert found[0].attorney == chuj_speaker and not found[0].interpreter
    assert found[1].interpreter


def test_another_language_goes_to_staff_with_no_provider_guessed(
    policy: Any, make_provider: Any
) -> None:
    make_provider(languages=("en", "es"))
    request = _submit(Client(), OTHER_LANGUAGE)
    assert request.spoken_language == OTHER_LANGUAGE
    assert candidates(request, policy) == []
    assert referral_route(help_request=request, by=SYSTEM) is None
    request.refresh_from_db()
    assert request.state == RequestState.ESCALATED
    assert request.escalation_reason == EscalationReason.NO_PROVIDER
