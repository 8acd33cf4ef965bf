"""The rights card and the family plan in Arabic, read back with pypdf: the words are there in
reading order (shaped glyphs compared after NFKC, as tests/pdfread.py explains), and the lines
start at the right margin."""

from __future__ import annotations

import datetime
import io
import unicodedata

import pypdf
from django.utils import translation

from amparo.rights import pdf
from amparo.rights.hotlines import Hotline
from tests import pdfread

HOTLINE = Hotline(
    name="خط المساعدة",
    phone="(303) 555-0100",
    tel="tel:+13035550100",
    hours="24/7",
    languages=(),
    address="",
)
#: Long enough to wrap on a letter page: the start must stay on the first line.
SCHOOL = (
    "علي في مدرسة النور الابتدائية في دنفر في الصف الثالث مع المعلمة ليلى وهي مدرسة قريبة "
    "من البيت ويمكن الوصول إليها سيرا على الأقدام كل صباح مع أخته الكبرى"
)


def read(data: bytes) -> str:
    return unicodedata.normalize("NFKC", pdfread.text(data))


def run_starts(data: bytes, page: int, word: str) -> list[float]:
    """Where (x, in points) each text run holding ``word`` starts on the page."""
    found: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], *_args: object) -> None:
        if word in unicodedata.normalize("NFKC", text):
            found.append(tm[4] * cm[0] + cm[4])

    pypdf.PdfReader(io.BytesIO(data)).pages[page].extract_text(visitor_text=visit)
    return found


def test_the_card_front_is_in_arabic_from_the_right_and_the_phone_stays_left_to_right() -> None:
    data = pdf.rights_card(language="ar", hotlines=[HOTLINE])
    text = read(data)
    front = text.split("Conozca sus derechos")[0]
    for words in ("اعرف حقوقك", "لك الحق في التزام الصمت", "لا تفتح الباب", "اتصل للمساعدة"):
        assert words in front, (words, front)
    assert "(303) 555-0100" in front  # not "0100-555 (303)"
    assert "?" not in text and "\ufffd" not in text
    width = pdf.CARD_SIZE[0]
    starts = run_starts(data, 0, "حقوقك")
    assert starts and all(x > width / 2 for x in starts), (starts, width)


def test_the_family_plan_in_arabic_wraps_in_reading_order_from_the_right() -> None:
    with translation.override("ar"):
        data = pdf.family_plan(
            answers={"children": "سارة 2019\n" + SCHOOL},
            hotlines=[HOTLINE],
            today=datetime.date(2026, 12, 6),
        )
    text = read(data)
    for words in ("خطة استعداد الأسرة", "الأطفال", "سارة", "أرقام مهمة", "خط المساعدة"):
        assert words in text, (words, text)
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if "مدرسة النور" in line)
    # The paragraph's first words are on its first line, its last words on the next one.
    assert "أخته الكبرى" not in lines[first] and "أخته الكبرى" in lines[first + 1]
    assert "?" not in text and "\ufffd" not in text
    starts = run_starts(data, 0, "استعداد")
    assert starts and all(x > 612 / 2 for x in starts), starts  # letter: 612 points wide


def test_english_and_spanish_still_start_at_the_left() -> None:
    data = pdf.rights_card(language="es", hotlines=[HOTLINE])
    starts = run_starts(data, 0, "Conozca")
    assert starts and all(x < 20 for x in starts), starts
