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


def _layout(text: str) -> list[tuple[str, str, bool]]:
    return [(s.font, s.text, s.rtl) for s in pdf_fonts.segments(text)]


def test_a_mixed_line_is_laid_out_by_the_bidirectional_algorithm() -> None:
    """Runs in the order drawn, left to right (UAX #9 on a left-to-right line): a number after
    Arabic words belongs to the right-to-left phrase and is drawn to its left, as its own
    left-to-right run; the punctuation between follows the rules for neutrals."""
    assert pdf_fonts.visual_runs("A: محمد أحمد 12 ب, ok") == [
        (0, "A: "),
        (1, " ب"),
        (2, "12"),
        (1, "محمد أحمد "),
        (0, ", ok"),
    ]
    assert _layout("Donor: مریم حسینی, 2025") == [
        ("Helvetica", "Donor: 2025", False),
        ("Amparo-arabic", "مریم حسینی, ", True),
    ]
    # A parenthesis with a left-to-right letter inside stays in the left-to-right text.
    assert pdf_fonts.visual_runs("محمد أحمد (A 201-555-123)") == [
        (1, "محمد أحمد"),
        (0, " (A 201-555-123)"),
    ]


def test_brackets_pair_and_mirror_around_a_number_in_a_right_to_left_phrase() -> None:
    """Rule N0 (bracket pairs, which python-bidi's Rust core has): both brackets take the
    phrase's direction, so the pair is drawn mirrored around the number: "(12) دمحم" on the
    page."""
    assert pdf_fonts.visual_runs("محمد (12)") == [(1, ")"), (2, "12"), (1, "محمد (")]
    (brackets, run) = _layout("محمد (12)")
    assert brackets == ("Helvetica", "(12)", False)  # the ")" typed, mirrored: "(" on the left
    assert run[0] == "Amparo-arabic" and run[1].strip() == "محمد" and run[2]
    assert pdf_fonts.markup("محمد (12)") == '(12)<font face="Amparo-arabic"> محمد</font>'
    # Outside the phrase (the line starts left to right) the pair stays left to right; a
    # number after Arabic letters is an Arabic number (rule W2), a run of its own.
    assert pdf_fonts.visual_runs("(محمد) 12") == [(0, "("), (1, "محمد"), (0, ") "), (2, "12")]


def test_an_isolated_name_leaves_the_phone_number_after_it_left_to_right() -> None:
    """Without the isolate the algorithm reads the digits after an Arabic name as part of its
    phrase (rules W2 and N1): the page would show "0100-555 (303) · دمحأ دمحم"."""
    phone = " · (303) 555-0100"
    assert pdf_fonts.visual_runs("محمد أحمد" + phone)[:3] == [(2, "0100"), (1, "-"), (2, "555")]
    isolated = pdf_fonts.isolate("محمد أحمد") + phone
    assert pdf_fonts.visual_runs(isolated) == [(1, "محمد أحمد"), (0, phone)]
    assert "\u2068" not in "".join(s.text for s in pdf_fonts.segments(isolated))


def test_trailing_spaces_go_back_to_the_line_direction() -> None:
    assert pdf_fonts.line_levels("محمد  ") == [1, 1, 1, 1, 0, 0]  # rule L1
    assert pdf_fonts.line_levels("José Ñúñez 12") == [0] * 13


def test_a_changed_python_bidi_is_refused_not_drawn_wrong(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_fonts, "get_display", lambda *args, **kwargs: "BidiInfo {}")
    with pytest.raises(pdf_fonts.BidiUnavailable):
        pdf_fonts.segments("محمد 12")


def test_right_to_left_paragraph_words_are_reversed() -> None:
    assert pdf_fonts.markup("محمد أحمد") == '<font face="Amparo-arabic">أحمد محمد</font>'


@pytest.mark.parametrize(
    "line",
    ["محمد أحمد (A 201-555-123)", "Name: محمد أحمد (A 201-555-123).", "Donor: مریم حسینی"],
)
def test_an_arabic_name_with_an_a_number_reads_back_in_logical_order(line: str) -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, pageCompression=0)
    pdf_fonts.draw_string(canvas, 72, 700, line, 11)
    pdf_fonts.draw_right_string(canvas, 540, 680, line, 11, bold=True)
    canvas.save()
    lines = unicodedata.normalize("NFKC", pdfread.text(buffer.getvalue())).splitlines()
    assert lines == [line, line]


def test_a_right_aligned_mixed_line_ends_at_its_margin() -> None:
    """Widths of right-to-left runs are their shaped widths, so right alignment is exact."""
    line = "محمد أحمد (A 201-555-123)"
    shaped = pdf_fonts._shaped("محمد أحمد", "Amparo-arabic", 11)[1]
    rest = pdfmetrics.stringWidth(" (A 201-555-123)", "Helvetica", 11)
    assert pdf_fonts.string_width(line, 11) == pytest.approx(shaped + rest)


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
