"""The PDFs' fonts: found in installed packages, chosen per word, shaped right to left."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from amparo.core import checks, pdf_fonts
from tests import pdfread


@pytest.mark.parametrize("name", pdfread.NAMES)
def test_a_name_drawn_on_a_canvas_reads_back_as_typed(name: str) -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, pageCompression=0)
    pdf_fonts.draw_string(canvas, 72, 700, f"Donor: {name}", 11)
    pdf_fonts.draw_string(canvas, 72, 680, name, 16, bold=True)
    canvas.save()
    data = buffer.getvalue()
    pdfread.assert_printed(data, name)
    first = unicodedata.normalize("NFKC", pdfread.text(data).splitlines()[0])
    assert first == "Donor: " + name


def test_words_helvetica_can_draw_stay_in_helvetica() -> None:
    """English and Spanish PDFs look as they did: only the other words change font."""
    assert [(s.font, s.text) for s in pdf_fonts.segments("José Ñúñez, Nguyễn")] == [
        ("Helvetica", "José Ñúñez, "),
        ("Amparo-latin", "Nguyễn"),
    ]
    assert pdf_fonts.markup("Tía <b> & 王小明", bold=True) == (
        'Tía &lt;b&gt; &amp; <font face="Amparo-cjk-bold">王小明</font>'
    )


def test_a_right_to_left_run_keeps_its_words_together_in_reverse_order_in_paragraphs() -> None:
    (before, run, after) = pdf_fonts.segments("A: محمد أحمد 12 ب, ok")
    assert (before.font, before.text) == ("Helvetica", "A: ")
    assert (run.font, run.text, run.rtl) == ("Amparo-arabic", "محمد أحمد 12 ب,", True)
    assert after.text == " ok"
    assert pdf_fonts.markup("محمد أحمد") == '<font face="Amparo-arabic">أحمد محمد</font>'


def test_arabic_is_shaped_by_harfbuzz() -> None:
    pdf_fonts.segments("x")  # registers the fonts
    font = pdfmetrics.getFont("Amparo-arabic")
    assert isinstance(font, TTFont) and font.shapable


def test_without_debian_fonts_pypi_packages_still_give_latin_and_arabic(tmp_path: Path) -> None:
    by_key = {s.key: pdf_fonts.find(s, system_dirs=[tmp_path]) for s in pdf_fonts.SCRIPTS}
    latin, arabic = by_key["latin"], by_key["arabic"]
    assert latin is not None and "fontpkg_noto_sans" in str(latin.regular)
    assert arabic is not None and "fontpkg_noto_sans_arabic" in str(arabic.regular)
    for found, letters in ((latin, "ễЙñ"), (arabic, "محمدی")):
        cmap = TTFont("probe", str(found.regular)).face.charToGlyph
        assert all(ord(c) in cmap for c in letters)
    assert [s.key for s in pdf_fonts.missing(system_dirs=[tmp_path])] == ["ethiopic", "cjk"]


def test_a_missing_script_is_a_startup_warning_naming_the_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert checks.pdf_fonts_installed() == []  # this machine has them all (tools/ensure-fonts.sh)
    monkeypatch.setattr(pdf_fonts, "SYSTEM_DIRS", (tmp_path,))
    monkeypatch.setattr(pdf_fonts.find, "__defaults__", ((tmp_path,),))
    monkeypatch.setattr(pdf_fonts.missing, "__defaults__", ((tmp_path,),))
    (warning,) = checks.pdf_fonts_installed()
    assert warning.id == "amparo.W001"
    assert "Ethiopic (Amharic), Chinese" in warning.msg
    assert "apt-get install fonts-noto-core fonts-wqy-microhei" in str(warning.hint)
