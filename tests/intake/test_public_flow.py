"""The public flow at /help/ through the whole middleware stack, as a phone without JavaScript."""

from __future__ import annotations

import datetime
import gzip
import logging
import re
from typing import Any

import pytest
from django.test import Client

from amparo.audit.models import AuditEvent
from amparo.intake import codes
from amparo.intake.models import HelpRequest, RequestState
from amparo.intake.wizard import SESSION_KEY
from tests.clock import frozen

from .helpers import COURT, FACILITY

pytestmark = [pytest.mark.django_db, frozen]

NAME = "Rosa Elvira Quispe Huamán"
A_NUMBER = "A-212-345-678"


def _post(client: Client, url: str, data: dict[str, Any], **extra: Any) -> Any:
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="es", **extra)


def _go(client: Client, slug: str, data: dict[str, Any]) -> str:
    response = _post(client, f"/help/q/{slug}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return str(response["Location"])


def _match(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    assert found is not None, pattern
    return found[1]


def complete_flow(
    client: Client, *, detained: bool = True, spoken_language: str = "es", interpreter: str = "yes"
) -> str:
    assert _post(client, "/help/", {}).status_code == 302
    assert _go(client, "for-whom", {"for_whom": "family"}) == "/help/q/name/"
    assert _go(client, "name", {"name": NAME}) == "/help/q/detained/"
    nxt = _go(client, "detained", {"custody": "detained" if detained else "never_detained"})
    if detained:
        assert nxt == "/help/q/facility/"
        assert _go(client, "facility", {"facility": FACILITY}) == "/help/q/a-number/"
    else:
        assert nxt == "/help/q/a-number/"
    assert _go(client, "a-number", {"a_number": A_NUMBER}) == "/help/q/hearing/"
    hearing = datetime.date.today() + datetime.timedelta(days=10)
    assert (
        _go(
            client,
            "hearing",
            {
                "next_hearing_day": hearing.day,
                "next_hearing_month": hearing.month,
                "next_hearing_year": hearing.year,
                "court": COURT,
            },
        )
        == "/help/q/missed/"
    )
    assert _go(client, "missed", {"missed": "no"}) == "/help/q/deadline/"
    assert _go(client, "deadline", {"deadline_kind": ""}) == "/help/q/where/"
    assert _go(client, "where", {"zip_code": "80203", "county": "Denver"}) == "/help/q/household/"
    assert _go(client, "household", {"household_size": "4"}) == "/help/q/income/"
    assert _go(client, "income", {"income_band": "25k_35k"}) == "/help/q/language/"
    assert (
        _go(
            client,
            "language",
            {"spoken_language": spoken_language, "needs_interpreter": interpreter},
        )
        == "/help/q/contact/"
    )
    assert (
        _go(
            client,
            "contact",
            {
                "contact_method": "relative",
                "relative_name": "Juana Quispe",
                "relative_phone": "(303) 555-0142",
            },
        )
        == "/help/check/"
    )
    page = client.get("/help/check/", HTTP_ACCEPT_LANGUAGE="es")
    assert page.status_code == 200
    return _match(r'name="token" value="([0-9a-f]+)"', page.content.decode())


def test_a_spanish_speaker_completes_the_flow_and_gets_codes(policy: Any, caplog: Any) -> None:
    client = Client()
    caplog.set_level(logging.DEBUG)
    token = complete_flow(client)
    assert HelpRequest.objects.count() == 0  # nothing is saved before consent
    response = _post(client, "/help/check/", {"token": token, "consent": "on"})
    assert response.status_code == 302 and response["Location"] == "/help/done/"
    request = HelpRequest.objects.get()
    assert (
        request.language == "es" and request.spoken_language == "es" and request.needs_interpreter
    )
    assert (
        request.custody == "detained" and request.facility == FACILITY and request.area == "adams"
    )
    assert request.name == NAME and request.a_number == A_NUMBER
    assert request.state == RequestState.WAITING and request.priority >= 1000 + 300
    assert AuditEvent.objects.filter(
        action="intake.help_request.created", object_id=str(request.pk)
    ).exists()

    done = client.get("/help/done/", HTTP_ACCEPT_LANGUAGE="es")
    html = done.content.decode()
    assert done.status_code == 200 and "Solicitud enviada" in html
    code = _match(r'id="status-code">([A-Z0-9-]+)<', html)
    assert request.reference in html
    assert codes.status_code_matches(code, request.status_code_hash)
    assert "no-store" in done["Cache-Control"]
    # Nothing protected travelled in a URL or a log line.
    for record in caplog.records:
        assert NAME not in record.getMessage() and "212345678" not in record.getMessage().replace(
            "-", ""
        )


def test_double_submit_creates_one_request(policy: Any) -> None:
    client = Client()
    token = complete_flow(client, detained=False)
    first = _post(client, "/help/check/", {"token": token, "consent": "on"})
    second = _post(client, "/help/check/", {"token": token, "consent": "on"})
    assert first.status_code == 302 and second.status_code == 302
    assert second["Location"] == "/help/done/"
    assert HelpRequest.objects.count() == 1


def test_consent_is_required_and_nothing_is_saved(policy: Any) -> None:
    client = Client()
    token = complete_flow(client)
    response = _post(client, "/help/check/", {"token": token})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hay un problema" in html and 'href="#id_consent"' in html
    assert HelpRequest.objects.count() == 0


def test_bad_answers_get_translated_messages_beside_the_field(policy: Any) -> None:
    client = Client()
    _post(client, "/help/", {})
    _go(client, "for-whom", {"for_whom": "self"})
    _go(client, "name", {"name": "Ana"})
    _go(client, "detained", {"custody": "never_detained"})
    response = _post(client, "/help/q/a-number/", {"a_number": "A-12-34"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hay un problema" in html and "8 o 9 dígitos" in html
    assert 'aria-invalid="true"' in html and 'href="#id_a_number"' in html
    state = client.session[SESSION_KEY]
    assert "A-12-34" not in state  # the session holds the answers encrypted


def test_answers_are_encrypted_in_the_session(policy: Any) -> None:
    client = Client()
    _post(client, "/help/", {})
    _go(client, "for-whom", {"for_whom": "self"})
    _go(client, "name", {"name": NAME})
    raw = client.session[SESSION_KEY]
    assert NAME not in raw and "Quispe" not in raw


def test_steps_cannot_be_skipped_and_expired_state_starts_over(policy: Any) -> None:
    client = Client()
    response = client.get("/help/q/income/")
    assert response.status_code == 302 and response["Location"] == "/help/"
    _post(client, "/help/", {})
    response = client.get("/help/q/income/")
    assert response["Location"] == "/help/q/for-whom/"


def test_pages_are_small(policy: Any) -> None:
    client = Client()
    for url in ("/help/", "/help/status/"):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        body = (
            response.content
            if response.get("Content-Encoding") != "gzip"
            else gzip.decompress(response.content)
        )
        assert len(gzip.compress(body)) < 10_000


def test_the_status_is_shown_in_the_persons_language(submit: Any) -> None:
    submission = submit(language="es")
    client = Client()
    response = client.post(
        "/help/status/",
        {"reference": submission.help_request.reference, "code": submission.status_code},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="es">' in html
    assert "Estamos buscando un abogado" in html
    assert submission.help_request.name not in html  # the status only


def test_the_status_is_shown_after_a_redirect_and_only_once(submit: Any) -> None:
    """Post/redirect/get: Back or reload never sends the reference and code again, and the
    page is gone for whoever picks up the phone next."""
    submission = submit(language="en")
    client = Client()
    data = {"reference": submission.help_request.reference, "code": submission.status_code}
    response = client.post("/help/status/", data)
    assert response.status_code == 302 and response["Location"] == "/help/status/result/"
    assert submission.help_request.reference not in response["Location"]
    shown = client.get("/help/status/result/")
    assert shown.status_code == 200 and "We are looking for a lawyer" in shown.content.decode()
    again = client.get("/help/status/result/")
    assert again.status_code == 302 and again["Location"] == "/help/status/"
    assert Client().get("/help/status/result/")["Location"] == "/help/status/"


def test_a_wrong_code_or_reference_looks_the_same(submit: Any) -> None:
    submission = submit()
    client = Client()
    wrong_code = client.post(
        "/help/status/",
        {"reference": submission.help_request.reference, "code": "2222-3333-4444-5555"},
    )
    wrong_ref = client.post(
        "/help/status/", {"reference": "H-2222-2222", "code": submission.status_code}
    )
    message = "We could not find a request with this reference and code."
    assert message in wrong_code.content.decode() and message in wrong_ref.content.decode()


def test_checking_the_status_is_rate_limited(submit: Any, settings: Any) -> None:
    settings.AMPARO_RATE_LIMITS = {"help-status": {"per_ip": "3/m"}}
    submission = submit()
    client = Client()
    data = {"reference": submission.help_request.reference, "code": "2222-3333-4444-5555"}
    statuses = [client.post("/help/status/", data).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    # Even the right code is refused until the window passes.
    refused = client.post("/help/status/", {**data, "code": submission.status_code})
    assert refused.status_code == 429 and "Retry-After" in refused


def test_not_eligible_people_get_other_places_and_know_your_rights(policy: Any) -> None:
    client = Client()
    _post(client, "/help/", {})
    for slug, data in (
        ("for-whom", {"for_whom": "self"}),
        ("name", {"name": "Olga Petrenko"}),
        ("detained", {"custody": "never_detained"}),
        ("a-number", {"a_number": ""}),
        ("hearing", {"court": ""}),
        ("missed", {"missed": "unknown"}),
        ("deadline", {}),
        ("where", {"zip_code": "80203"}),
        ("household", {"household_size": "1"}),
        ("income", {"income_exact": "$95,000"}),
        ("language", {"spoken_language": "uk", "needs_interpreter": "yes"}),
        ("contact", {"contact_method": "email", "email": "olga@example.net"}),
    ):
        _go(client, slug, data)
    token = _match(r'name="token" value="([0-9a-f]+)"', client.get("/help/check/").content.decode())
    _post(client, "/help/check/", {"token": token, "consent": "on"})
    html = client.get("/help/done/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Este programa no puede tomar esta solicitud" in html
    assert "por encima del límite" in html and "$31,300" in html
    assert "Llame a la línea de referencias del colegio de abogados." in html
    assert 'href="/rights/"' in html
    request = HelpRequest.objects.get()
    assert request.state == RequestState.NOT_ELIGIBLE and request.email == "olga@example.net"


def _weight(client: Client, html: bytes) -> int:
    """Bytes on the wire for a page and its stylesheets, gzip-compressed as the server sends them."""
    total = len(gzip.compress(html))
    for href in re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html):
        css = client.get(href.decode())
        body = b"".join(css.streaming_content) if css.streaming else css.content  # type: ignore[attr-defined]
        total += len(gzip.compress(body))
    scripts = re.findall(rb"<script[^>]*src=", html)
    assert not scripts  # no JavaScript at all
    return total


def test_every_page_of_the_flow_weighs_under_50_kb(policy: Any) -> None:
    client = Client()
    _post(client, "/help/", {})
    weights = {"/help/": _weight(client, client.get("/help/").content)}
    answers = {
        "for-whom": {"for_whom": "family"},
        "name": {"name": NAME},
        "detained": {"custody": "detained"},
        "facility": {"facility": FACILITY},
        "a-number": {"a_number": A_NUMBER},
        "hearing": {"court": COURT},
        "missed": {"missed": "no"},
        "deadline": {},
        "where": {"zip_code": "80203"},
        "household": {"household_size": "2"},
        "income": {"income_band": "under_15k"},
        "language": {"spoken_language": "es", "needs_interpreter": "no"},
        "contact": {"contact_method": "phone", "phone": "303 555 0100"},
    }
    for slug, data in answers.items():
        url = f"/help/q/{slug}/"
        weights[url] = _weight(client, client.get(url).content)
        _go(client, slug, data)
    weights["/help/check/"] = _weight(client, client.get("/help/check/").content)
    weights["/help/status/"] = _weight(client, client.get("/help/status/").content)
    assert len(weights) == 16 and max(weights.values()) < 50_000, weights


def test_a_missed_hearing_and_a_running_appeal_deadline_raise_the_priority(policy: Any) -> None:
    client = Client()
    _post(client, "/help/", {})
    deadline = datetime.date.today() + datetime.timedelta(days=20)
    for slug, data in (
        ("for-whom", {"for_whom": "self"}),
        ("name", {"name": NAME}),
        ("detained", {"custody": "never_detained"}),
        ("a-number", {"a_number": ""}),
        ("hearing", {"court": ""}),
        ("missed", {"missed": "ordered"}),
        ("deadline", {"deadline_kind": "appeal"}),  # a kind without a date: asked again
    ):
        _go(client, slug, data)
    page = _post(client, "/help/q/deadline/", {"deadline_kind": "", "deadline_date_day": "1"})
    assert page.status_code == 200  # an incomplete date is refused
    assert (
        _go(
            client,
            "deadline",
            {
                "deadline_kind": "motion",
                "deadline_date_day": deadline.day,
                "deadline_date_month": deadline.month,
                "deadline_date_year": deadline.year,
            },
        )
        == "/help/q/where/"
    )
    for slug, data in (
        ("where", {"zip_code": "80203"}),
        ("household", {"household_size": "1"}),
        ("income", {"income_exact": "10000"}),
        ("language", {"spoken_language": "es", "needs_interpreter": "no"}),
        ("contact", {"contact_method": "email", "email": "x@example.net"}),
    ):
        _go(client, slug, data)
    check = client.get("/help/check/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "el juez ordenó" in check
    token = _match(r'name="token" value="([0-9a-f]+)"', check)
    _post(client, "/help/check/", {"token": token, "consent": "on"})
    request = HelpRequest.objects.get()
    assert request.missed_hearing and request.in_absentia_order
    assert (request.deadline_kind, request.deadline_date) == ("motion", deadline)
    codes = [r["code"] for r in request.priority_reasons]
    assert codes == ["in_absentia_order", "motion_deadline_30_days"]
    assert request.priority == 800
