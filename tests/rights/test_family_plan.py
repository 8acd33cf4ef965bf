"""The family plan: one question per page, answers carried in POST bodies, a PDF at the end,
and nothing kept on the server: no session, no row, no cache entry, no log line."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client

from amparo.rights.forms import MAX_ANSWER, STEP_NAMES
from tests.rights import pdftext
from tests.rights.storage import (
    cache_holding,
    database_files,
    files_holding,
    needles,
    plan_answers,
    rows_holding,
)

URL = "/rights/family-plan/"
PDF_URL = "/rights/family-plan/plan.pdf"


def _post(client: Client, url: str, data: dict[str, str]) -> Any:
    response = client.post(url, data)
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies
    return response


def walk(client: Client, answers: dict[str, str]) -> bytes:
    """Answer every question the way the pages ask, page by page, then download the PDF."""
    carried: dict[str, str] = {}
    response = client.get(URL)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    step = "intro"
    for name in STEP_NAMES:
        response = _post(client, URL, {**carried, "step": step, "action": "next"})
        html = response.content.decode()
        assert f'<textarea name="{name}"' in html  # exactly this question is asked
        assert html.count("<textarea") == 1
        carried[name] = answers[name]
        step = name
    response = _post(client, URL, {**carried, "step": step, "action": "next"})
    html = response.content.decode()
    assert "Download my plan (PDF)" in html
    response = _post(client, PDF_URL, carried)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="family-plan.pdf"'
    return bytes(response.content)


@pytest.mark.django_db(transaction=True)
def test_a_plan_is_made_and_nothing_typed_is_left_on_the_server(
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    answers = plan_answers(8)
    client = Client(enforce_csrf_checks=False)
    data = walk(client, answers)

    text = pdftext.flat(data)
    for value in answers.values():
        assert " ".join(value.split()) in text
    assert "Family preparedness plan" in text

    values = needles(answers)
    assert rows_holding(values) == []
    assert files_holding(values) == []
    if (
        connection.vendor == "sqlite"
    ):  # the raw file was really searched (a checkpointed WAL may be empty)
        assert database_files() and database_files()[0].stat().st_size > 0
    assert cache_holding(values) == []
    assert Session.objects.count() == 0
    assert "sessionid" not in client.cookies
    logged = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    out, err = capfd.readouterr()
    for value in values:
        assert value not in logged and value not in out and value not in err


@pytest.mark.django_db
def test_the_plan_is_in_spanish_for_a_spanish_reader() -> None:
    client = Client()
    client.cookies["amparo_language"] = "es"
    answers = plan_answers(3, "es_MX")
    answers["medical"] = "Alergia a la penicilina: José Núñez"
    data = walk_es(client, answers)
    text = pdftext.flat(data)
    assert "Plan de preparación familiar" in text
    assert "Quién puede recoger a los niños" in text
    assert "Alergia a la penicilina: José Núñez" in text


def walk_es(client: Client, answers: dict[str, str]) -> bytes:
    response = client.post(URL, {"step": "intro", "action": "next"})
    assert "¿Quiénes son sus hijos?" in response.content.decode()
    response = client.post(PDF_URL, answers)
    assert response.status_code == 200
    return bytes(response.content)


@pytest.mark.django_db
def test_back_and_change_keep_every_answer() -> None:
    client = Client()
    answers = plan_answers(5)
    response = client.post(URL, {**answers, "step": "medical", "action": "back"})
    html = response.content.decode()
    assert '<textarea name="documents"' in html
    for name in STEP_NAMES:
        if name != "documents":
            assert f'name="{name}" value="' in html
    review = client.post(URL, {**answers, "step": "lawyer", "action": "next"}).content.decode()
    assert "Check your family plan" in review
    changed = client.post(URL, {**answers, "step": "review", "action": "goto:pickup"})
    assert '<textarea name="pickup"' in changed.content.decode()


@pytest.mark.django_db
def test_the_pickup_question_must_be_answered() -> None:
    client = Client()
    response = client.post(URL, {"step": "pickup", "action": "next", "pickup": "  "})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Write at least one name, or the word none." in html
    assert 'href="#id_pickup"' in html and 'aria-invalid="true"' in html
    response = client.post(PDF_URL, {"children": "x"})
    assert response["Content-Type"].startswith("text/html")
    assert "Write at least one name" in response.content.decode()


@pytest.mark.django_db
def test_too_long_or_tampered_answers_get_a_message_not_an_error() -> None:
    client = Client()
    client.cookies["amparo_language"] = "es"
    response = client.post(
        URL, {"step": "children", "action": "next", "medical": "x" * (MAX_ANSWER + 1)}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<textarea name="medical"' in html  # the page of the field that is wrong
    assert "Asegúrese de que este valor tenga menos de 1500 caracteres" in html
    assert 'id="id_medical_error"' in html  # the id aria-describedby points to
    response = client.post(URL, {"step": "nowhere", "action": "goto:../admin"})
    assert response.status_code == 200
    assert '<textarea name="children"' in response.content.decode()
    assert client.get(PDF_URL).status_code == 405
    response = client.post(URL, {"step": "pickup", "action": "next", "children": "a\x00b"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<textarea name="children"' in html
    assert "Los caracteres nulos no están permitidos." in html


@pytest.mark.django_db
def test_steps_need_the_csrf_token_from_the_cookie_and_no_session() -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get(URL)
    assert "sessionid" not in page.cookies
    assert client.post(URL, {"step": "intro", "action": "next"}).status_code == 403
    token = client.cookies["csrftoken"].value
    response = client.post(URL, {"step": "intro", "action": "next", "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
