"""The PDFs, read back: a two-sided wallet card, and a family plan holding what was typed."""

from __future__ import annotations

import datetime
import unicodedata

import pytest
from django.test import Client
from django.utils import translation

from amparo.rights import pdf
from amparo.rights.hotlines import Hotline
from tests import pdfread
from tests.rights import pdftext

HOTLINE = Hotline(
    name="Línea de ayuda",
    phone="(303) 555-0100",
    tel="tel:+13035550100",
    hours="24/7",
    languages=(),
    address="",
)
MM = 72 / 25.4


def test_the_card_is_two_wallet_sized_pages_one_language_each() -> None:
    data = pdf.rights_card(language="en", hotlines=[HOTLINE])
    assert data.startswith(b"%PDF-")
    assert pdftext.page_count(data) == 2
    for box in pdftext.media_boxes(data):
        assert box[2] == pytest.approx(85 * MM, abs=0.5)
        assert box[3] == pytest.approx(55 * MM, abs=0.5)
    text = pdftext.text(data)
    front, back = text.split("Conozca sus derechos")
    assert "Know your rights" in front and "You have the right to remain silent." in front
    assert "Usted tiene derecho a guardar silencio." in back
    assert "(303) 555-0100" in front and "(303) 555-0100" in back


def test_a_russian_reader_gets_russian_on_the_front_and_english_on_the_back() -> None:
    """Cyrillic is drawn in the embedded font and reads back; the officer's side is English."""
    text = unicodedata.normalize("NFKC", pdfread.text(pdf.rights_card(language="ru", hotlines=[])))
    assert "Вы имеете право хранить молчание." in text
    assert text.index("Знайте свои права") < text.index("Know your rights")
    assert "Conozca sus derechos" not in text


def test_a_spanish_reader_gets_spanish_on_the_front() -> None:
    data = pdf.rights_card(language="es", hotlines=[])
    text = pdftext.text(data)
    assert text.index("Conozca sus derechos") < text.index("Know your rights")
    assert "Llame" not in text  # no hotline configured: no empty line for it


@pytest.mark.parametrize(
    ("language", "front", "back"),
    [
        ("pt", "Conheça seus direitos", "Know your rights"),
        ("fr", "Connaître vos droits", "Know your rights"),
    ],
)
def test_a_reader_of_another_language_gets_english_on_the_back(
    language: str, front: str, back: str
) -> None:
    """The back is what an agent reads: English, not Spanish, behind Portuguese or French."""
    assert pdf.card_languages(language) == (language, "en")
    text = pdftext.text(pdf.rights_card(language=language, hotlines=[]))
    assert text.index(front) < text.index(back)
    assert "Conozca sus derechos" not in text


@pytest.mark.django_db
def test_the_card_is_served_as_a_pdf(fund_settings: dict[str, str]) -> None:
    response = Client().get("/rights/card.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert pdftext.page_count(response.content) == 2
    assert "(303) 555-0100" in pdftext.text(response.content)


def test_the_family_plan_holds_the_answers_with_accents_and_line_breaks() -> None:
    answers = {
        "children": "Ana Núñez, 2019\nLuis Núñez, 2021",
        "pickup": "Tía María José (303) 555-0199",
        "contacts": "",
        "documents": "Caja azul <debajo> de la cama & más",
        "medical": "Ơlga: asma",  # a letter Helvetica lacks: drawn in an embedded font
        "lawyer": "",
    }
    with translation.override("es"):
        data = pdf.family_plan(
            answers=answers, hotlines=[HOTLINE], today=datetime.date(2026, 11, 26)
        )
    lines = pdftext.text(data).splitlines()
    assert "Plan de preparación familiar" in lines
    assert "Ana Núñez, 2019" in lines and "Luis Núñez, 2021" in lines
    assert "Tía María José (303) 555-0199" in lines
    assert "Caja azul <debajo> de la cama & más" in lines
    assert "Ơlga: asma" in pdfread.text(data).splitlines()
    assert "(Todavía no hay nada escrito.)" in lines
    assert any("26 de noviembre de 2026" in line for line in lines)


def test_uncompressed_output_holds_the_same_text() -> None:
    answers = {"pickup": "Rosa Pérez"}
    plain = pdf.family_plan(
        answers=answers, hotlines=[], today=datetime.date(2026, 1, 2), compress=False
    )
    packed = pdf.family_plan(answers=answers, hotlines=[], today=datetime.date(2026, 1, 2))
    assert b"/FlateDecode" not in plain and b"/FlateDecode" in packed
    assert b"Rosa P\\351rez" in plain  # Windows-1252 in the raw content stream
    assert pdftext.text(plain) == pdftext.text(packed)


@pytest.mark.parametrize("name", pdfread.NAMES)
def test_the_family_plan_prints_names_in_every_script(name: str) -> None:
    hotline = Hotline(name=name, phone="(303) 555-0100", tel="", hours="", languages=(), address="")
    answers = {"children": f"2019: {name}", "pickup": name}
    data = pdf.family_plan(answers=answers, hotlines=[hotline], today=datetime.date(2026, 1, 2))
    pdfread.assert_printed(data, name)
    lines = unicodedata.normalize("NFKC", pdfread.text(data)).splitlines()
    assert f"2019: {name}" in lines and name in lines
    assert f"{name} · (303) 555-0100" in lines


def test_the_card_in_spanish_reads_back_with_its_accents() -> None:
    """The card holds no name, only its translated lines: they read back through pypdf too."""
    text = pdfread.text(pdf.rights_card(language="es", hotlines=[HOTLINE]))
    assert "Usted tiene derecho a guardar silencio." in text
    assert "Información general, no es consejo legal." in text
