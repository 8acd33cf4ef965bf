"""The front door: a person who lands anywhere on the public site is one link from asking for
help, and no page sends them somewhere that does not help."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/help/",
    "/help/status/",
    "/rights/",
    "/rights/family-plan/",
    "/donate/",
    "/transparency/",
    "/impact/",
    "/accounts/login/",
    "/accounts/password/reset/",
    "/no-such-page/",
]


def _header(html: str) -> str:
    return html[html.index("<header") : html.index("</header>")]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_has_get_help_in_its_header(
    client: Client, path: str, language: str
) -> None:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code in (200, 404)
    header = _header(response.content.decode())
    label = "Get help" if language == "en" else "Pedir ayuda"
    assert re.search(rf'<a class="header-help" href="/help/">{label}</a>', header), header


@pytest.mark.parametrize(
    ("language", "button", "rights"),
    [
        ("en", "Ask for a lawyer", "Know your rights"),
        ("es", "Pedir un abogado", "Conozca sus derechos"),
    ],
)
def test_the_home_page_leads_with_help_then_rights_donate_impact_and_transparency(
    client: Client, language: str, button: str, rights: str
) -> None:
    html = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    links = re.findall(r'<a [^>]*href="(/[^"]*)"', main)
    assert links[0] == "/help/", links
    assert f'href="/help/">{button}</a>' in main
    order = [
        links.index(p) for p in ("/help/", "/rights/", "/donate/", "/impact/", "/transparency/")
    ]
    assert order == sorted(order), links
    assert rights in main


def test_the_sign_in_page_sends_people_looking_for_help_to_the_help_pages(client: Client) -> None:
    html = client.get("/accounts/login/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert "Looking for legal help?" in main
    assert 'href="/help/">Ask for a lawyer</a>' in main
