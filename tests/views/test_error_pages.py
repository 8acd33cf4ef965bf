"""Every error a person can meet is the site's own page, in their language, naming the fund:
400, 403, a stale form (CSRF), 404, 405, 429 and 500, each reached through a real request."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.test import Client, RequestFactory, override_settings
from django.utils import translation

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("fund_settings"),
    pytest.mark.urls("tests.security.urls"),
]

TITLES = {
    400: ("Something was wrong with the request", "Hubo un problema con la solicitud"),
    403: ("Not allowed", "No permitido"),
    "csrf": ("Please try again", "Inténtelo de nuevo"),
    404: ("Page not found", "Página no encontrada"),
    405: ("This page cannot be used this way", "Esta página no se puede usar así"),
    429: ("Too many requests", "Demasiadas solicitudes"),
    500: ("Something went wrong", "Algo salió mal"),
}


def _client(language: str, **kwargs: Any) -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language, raise_request_exception=False, **kwargs)


def _reach(kind: int | str, language: str) -> Any:
    """The error ``kind``, reached the way a person reaches it."""
    client = _client(language, enforce_csrf_checks=kind == "csrf")
    if kind == 400:
        return client.get("/__tests__/bad-request/")
    if kind == 403:
        # Views' refusals answer 404 (NotFoundForForbiddenMiddleware); a 403 raised outside a
        # view goes through Django's exception handling to handler403, as here.
        request = RequestFactory().get("/somewhere/")
        request.user = AnonymousUser()
        with translation.override(language):
            return response_for_exception(request, PermissionDenied())
    if kind == "csrf":
        return client.post("/help/status/", {"reference": "H-2222-2222", "code": "x"})
    if kind == 404:
        return client.get("/no-such-page/")
    if kind == 405:
        return client.put("/help/")
    if kind == 429:
        for _ in range(3):
            client.post("/__tests__/limited-form/", {"answer": "a"})
        return client.post("/__tests__/limited-form/", {"answer": "a"})
    return client.get("/__tests__/boom/")


@pytest.mark.parametrize("kind", list(TITLES))
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_error_is_the_sites_translated_page(kind: int | str, language: str) -> None:
    response = _reach(kind, language)
    status = 403 if kind == "csrf" else kind
    assert response.status_code == status
    html = response.content.decode()
    title = TITLES[kind][0 if language == "en" else 1]
    assert f'<html lang="{language}">' in html
    assert f"<h1>{title}</h1>" in html, html[:600]
    assert 'class="brand"' in html and "Synthetic City Fund" in html
    assert 'href="/"' in html  # a way back home


@override_settings(DEBUG=False)
def test_a_stale_form_is_not_djangos_english_page() -> None:
    html = _reach("csrf", "es").content.decode()
    assert "CSRF verification failed" not in html and "Forbidden" not in html


def test_a_refusal_inside_a_view_looks_like_a_missing_page() -> None:
    response = _client("es").get("/__tests__/forbidden/")
    assert (
        response.status_code == 404 and "<h1>Página no encontrada</h1>" in response.content.decode()
    )
