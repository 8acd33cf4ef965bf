"""The public rights pages: both languages, hotlines with tel: links, small pages, links in."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from amparo.rights.content import TOPICS, repository_page

PUBLIC_PAGES = [
    "/rights/",
    *[f"/rights/{t}/" for t in TOPICS],
    "/rights/card/",
    "/rights/family-plan/",
]
MAX_WEIGHT = 50 * 1024


def _in(language: str) -> Client:
    client = Client()
    client.cookies["amparo_language"] = language
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_index_lists_every_topic_with_the_note_and_the_review_date(language: str) -> None:
    response = _in(language).get("/rights/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    for topic in TOPICS:
        page = repository_page(topic, language)
        assert page is not None
        assert f'href="/rights/{topic}/"' in html
        assert page.title in html
    note = "This is not legal advice." if language == "en" else "Esto no es consejo legal."
    assert note in html
    assert ("Last reviewed:" if language == "en" else "Última revisión:") in html
    assert 'href="/rights/card/"' in html and 'href="/rights/family-plan/"' in html
    assert 'href="/help/"' in html


@pytest.mark.django_db
def test_a_topic_page_in_spanish_has_the_locator_link_and_its_review_date() -> None:
    response = _in("es").get("/rights/find-someone/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Cómo encontrar a un familiar detenido</h1>" in html
    assert '<a href="https://locator.ice.gov/odls/">' in html
    assert "Última revisión: 5 de diciembre de 2026" in html
    assert "Esto no es consejo legal." in html
    assert "Revisado por: Equipo de Amparo" in html
    # The locator's blind spots, and where to ask instead.
    assert "Centro Nacional de Llamadas de ORR" in html and "consulado" in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("topic", TOPICS)
def test_every_topic_page_shows_who_reviewed_it_and_when(language: str, topic: str) -> None:
    page = repository_page(topic, language)
    assert page is not None and page.reviewed_by
    html = _in(language).get(f"/rights/{topic}/").content.decode()
    label = "Reviewed by:" if language == "en" else "Revisado por:"
    assert f"{label} {page.reviewed_by}" in html
    for source in page.sources:
        assert source in html


@pytest.mark.django_db
def test_unknown_topics_are_not_found() -> None:
    assert Client().get("/rights/no-such-topic/").status_code == 404


@pytest.mark.django_db
def test_the_configured_hotlines_are_shown_with_tel_links(settings: Any) -> None:
    settings.AMPARO = {
        **settings.AMPARO,
        "HOTLINES": [
            {
                "name": {"en": "Rapid response line", "es": "Línea de respuesta rápida"},
                "phone": "(303) 555-0142",
                "hours": {"en": "Every day, 24 hours", "es": "Todos los días, 24 horas"},
                "languages": ["en", "es"],
                "address": "100 Main St, Denver",
            },
            {"name": "Office", "phone": "not a number"},
        ],
    }
    html = _in("es").get("/rights/at-home/").content.decode()
    assert '<a class="tel" href="tel:+13035550142">(303) 555-0142</a>' in html
    assert "Línea de respuesta rápida" in html and "Todos los días, 24 horas" in html
    assert '<span lang="en">English</span>, <span lang="es">Español</span>' in html
    assert "100 Main St, Denver" in html
    assert "not a number" in html and 'href="tel:not' not in html


@pytest.mark.django_db
def test_without_configuration_the_funds_hotline_is_shown(fund_settings: dict[str, str]) -> None:
    html = Client().get("/rights/").content.decode()
    assert 'href="tel:+13035550100"' in html
    assert "Synthetic City Fund" in html


@pytest.mark.django_db
def test_the_home_page_links_the_rights_pages_the_plan_and_the_hotline(
    fund_settings: dict[str, str],
) -> None:
    html = Client().get("/").content.decode()
    assert 'href="/rights/"' in html
    assert 'href="/rights/family-plan/"' in html
    assert 'href="tel:+13035550100"' in html


def test_reminder_messages_link_the_rights_pages() -> None:
    import datetime

    from amparo.notify.messages import HearingFacts, hearing_reminder

    facts = HearingFacts(
        date=datetime.date(2027, 3, 1),
        time=None,
        kind="master",
        mode="in_person",
        court="Denver Immigration Court",
        organization="Synthetic Legal Services",
        phone="",
        days_before=7,
    )
    for channel in ("sms", "email"):
        assert "/rights/" in hearing_reminder(facts, "es", channel)["body"]


def _static(path: str) -> bytes:
    found = finders.find(path)
    assert found, path
    return Path(str(found)).read_bytes()


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
@pytest.mark.parametrize("language", ["en", "es"])
def test_pages_weigh_at_most_50_kb_gzipped_with_their_styles(
    url: str, language: str, fund_settings: dict[str, str]
) -> None:
    response = _in(language).get(url)
    assert response.status_code == 200
    html = response.content
    sheets = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html.decode())
    assert "rights/rights.css" in sheets
    weight = len(gzip.compress(html)) + sum(len(gzip.compress(_static(s))) for s in sheets)
    assert weight <= MAX_WEIGHT, f"{url}: {weight} bytes"


@pytest.mark.django_db
def test_the_card_page_has_both_languages_and_a_print_stylesheet() -> None:
    html = _in("en").get("/rights/card/").content.decode()
    assert '<section class="rights-card" lang="en"' in html
    assert '<section class="rights-card" lang="es"' in html
    assert "Usted tiene derecho a guardar silencio." in html
    css = _static("rights/rights.css").decode()
    assert "@media print" in css
    assert "size: 85mm 55mm" in css
