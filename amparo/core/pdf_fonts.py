"""Fonts for the PDFs: every name drawn in its own script, never as "?".

Text Helvetica can draw (Windows-1252: English, Spanish) stays in ReportLab's built-in Helvetica,
so those documents look and read exactly as before. Any other word is drawn in an embedded
(subset) TrueType font that covers it, found among installed packages only, never downloaded:

* Latin with any diacritics, Cyrillic, Vietnamese: Noto Sans (PyPI ``fontpkg-noto-sans``, or
  Debian's ``fonts-noto-core``, whose static Bold is used when present);
* Arabic and Persian: Noto Sans Arabic (PyPI ``fontpkg-noto-sans-arabic``, or ``fonts-noto-core``),
  shaped by HarfBuzz (``uharfbuzz``, which ReportLab uses when installed) and drawn right to left;
* Ethiopic (Amharic): Noto Sans Ethiopic from Debian's ``fonts-noto-core`` (not on PyPI);
* Chinese: WenQuanYi Micro Hei from Debian's ``fonts-wqy-microhei``. Noto Sans CJK
  (``fonts-noto-cjk``) cannot serve: its outlines are PostScript (CFF), which ReportLab does not
  embed.

A script with no font is reported by the system check ``amparo.W001`` at start-up, naming the
package to install; its words are then drawn in the Latin font (empty boxes in the page, the real
characters in the text layer) rather than turned into question marks.

Right to left: the documents' lines run left to right, so a run of right-to-left words (with the
numbers and spaces between them) is laid out as one block whose words are in reverse order;
HarfBuzz orders the letters inside it. A right-to-left run long enough to wrap onto a second line
of a paragraph would wrap from its last word; names and short answers do not.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont, shapeFragWord, shapeStr
from reportlab.platypus import Paragraph

BASE = "Helvetica"
BASE_BOLD = "Helvetica-Bold"

#: Where Debian's font packages put their files.
SYSTEM_DIRS = (
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/truetype/wqy"),
)


@dataclass(frozen=True)
class Script:
    """A script the PDFs must draw, where its font may be found, and one letter to test it."""

    key: str
    label: str
    sample: str
    system: tuple[str, str]  # regular and bold file names in SYSTEM_DIRS
    system_package: str
    pypi: tuple[str, str] | None = None  # Python package and its font file, when PyPI has one


SCRIPTS: tuple[Script, ...] = (
    Script(
        "latin",
        "Latin, Cyrillic and Vietnamese",
        "ễЙ",
        ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
        "fonts-noto-core",
        ("fontpkg_noto_sans", "files/NotoSans[wdth,wght].ttf"),
    ),
    Script(
        "arabic",
        "Arabic and Persian",
        "عی",
        ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
        "fonts-noto-core",
        ("fontpkg_noto_sans_arabic", "files/NotoSansArabic[wdth,wght].ttf"),
    ),
    Script(
        "ethiopic",
        "Ethiopic (Amharic)",
        "አ",
        ("NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf"),
        "fonts-noto-core",
    ),
    Script(
        "cjk",
        "Chinese",
        "王",
        ("wqy-microhei.ttc", "wqy-microhei.ttc"),
        "fonts-wqy-microhei",
    ),
)


@dataclass(frozen=True)
class Found:
    """The files found for one script: regular and bold (the same file when only one weight)."""

    script: Script
    regular: Path
    bold: Path


def _pypi_file(script: Script) -> Path | None:
    """The font file inside the script's PyPI package, if that package is installed."""
    if script.pypi is None:
        return None
    package, relative = script.pypi
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    return path if path.is_file() else None


def find(script: Script, system_dirs: Sequence[Path] = SYSTEM_DIRS) -> Found | None:
    """The script's font files: Debian's static ones first (they have a real Bold), then the
    PyPI package's (one variable file, drawn at its default, regular weight)."""
    regular_name, bold_name = script.system
    for folder in system_dirs:
        regular = folder / regular_name
        if regular.is_file():
            bold = folder / bold_name
            return Found(script, regular, bold if bold.is_file() else regular)
    packaged = _pypi_file(script)
    return Found(script, packaged, packaged) if packaged else None


def missing(system_dirs: Sequence[Path] = SYSTEM_DIRS) -> list[Script]:
    """The scripts no installed package gives a font for."""
    return [script for script in SCRIPTS if find(script, system_dirs) is None]


def install_hint(scripts: Sequence[Script]) -> str:
    """One line naming the packages that would bring the missing scripts' fonts."""
    packages = sorted({script.system_package for script in scripts})
    return "apt-get install " + " ".join(packages)


def _font_name(key: str, bold: bool) -> str:
    return f"Amparo-{key}-bold" if bold else f"Amparo-{key}"


def _no_discretionary_ligatures() -> None:
    """Turn off HarfBuzz's discretionary ligatures, which ReportLab asks for by default: with
    them Noto Sans Arabic draws a typed محمد as the honorific ligature ﷴ, with vowel marks
    nobody typed. A name must print as it was written; required ligatures still apply."""
    defaults = shapeFragWord.__defaults__
    if defaults and isinstance(defaults[0], dict):
        defaults[0].pop("dlig", None)


@functools.cache
def _registered() -> dict[str, Any]:
    """Register every found font with ReportLab once per process; their cmaps by font name.

    TrueType fonts are embedded as subsets (ReportLab's default): only the glyphs drawn."""
    _no_discretionary_ligatures()
    fonts: dict[str, Any] = {}
    for script in SCRIPTS:
        found = find(script)
        if found is None:
            continue
        for bold, path in ((False, found.regular), (True, found.bold)):
            name = _font_name(script.key, bold)
            try:
                font = TTFont(name, str(path))
            except (TTFError, OSError):
                continue
            pdfmetrics.registerFont(font)
            fonts[name] = font.face.charToGlyph
    return fonts


def _covers(name: str, char: str) -> bool:
    cmap = _registered().get(name)
    return cmap is not None and ord(char) in cmap


def _is_rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def _base_can_draw(word: str) -> bool:
    """Whether Helvetica, with its Windows-1252 encoding, can draw the whole word."""
    try:
        word.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _font_for(char: str, bold: bool) -> str:
    """The first fallback font that has the character; the Latin one if none has it."""
    for script in SCRIPTS:
        name = _font_name(script.key, bold)
        if _covers(name, char):
            return name
    return _font_name("latin", bold) if _font_name("latin", bold) in _registered() else BASE


def _word_runs(word: str, bold: bool) -> list[tuple[str, str]]:
    """A word Helvetica cannot draw, cut where its letters need another font. A character the
    current font has (a digit, a comma, an accent) stays in it, so a word changes font only
    where it must."""
    runs: list[tuple[str, str]] = []
    for char in word:
        if runs and _covers(runs[-1][0], char):
            runs[-1] = (runs[-1][0], runs[-1][1] + char)
        else:
            runs.append((_font_for(char, bold), char))
    return runs


@dataclass
class Segment:
    """Text drawn in one font; a right-to-left one holds its words in reading (logical) order."""

    font: str
    text: str
    rtl: bool = False


_TOKENS = re.compile(r"\s+|\S+")


def _rtl_blocks(text: str) -> list[tuple[bool, str]]:
    """The text cut into left-to-right pieces and right-to-left blocks, in reading order. A
    block runs from a right-to-left word to the last one that follows with only spaces, digits
    or punctuation between."""
    tokens = _TOKENS.findall(text)
    flags = [any(_is_rtl(c) for c in t) for t in tokens]
    strong_ltr = [any(unicodedata.bidirectional(c) == "L" for c in t) for t in tokens]
    pieces: list[tuple[bool, str]] = []
    i = 0
    while i < len(tokens):
        if not flags[i]:
            pieces.append((False, tokens[i]))
            i += 1
            continue
        end = i
        for j in range(i + 1, len(tokens)):
            if strong_ltr[j]:
                break
            if flags[j]:
                end = j
        pieces.append((True, "".join(tokens[i : end + 1])))
        i = end + 1
    return pieces


def segments(text: str, bold: bool = False) -> list[Segment]:
    """The text as font runs, left to right on the page."""
    base = BASE_BOLD if bold else BASE
    out: list[Segment] = []
    for rtl, piece in _rtl_blocks(text):
        if rtl:
            font = _font_name("arabic", bold)
            if font not in _registered():
                font = _font_for(piece[0], bold)
            out.append(Segment(font, piece, rtl=True))
            continue
        for token in _TOKENS.findall(piece):
            runs = [(base, token)] if _base_can_draw(token) else _word_runs(token, bold)
            for font, run in runs:
                if out and out[-1].font == font and not out[-1].rtl:
                    out[-1].text += run
                else:
                    out.append(Segment(font, run))
    return out


def string_width(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` drawn by ``draw_string``."""
    return float(sum(pdfmetrics.stringWidth(s.text, s.font, size) for s in segments(text, bold)))


def draw_string(
    canvas: Any, x: float, y: float, text: str, size: float, bold: bool = False
) -> None:
    """``canvas.drawString`` for text in any script: the font runs go in one text object, one
    after the other, so that a reader copies the line as one line. Leaves the canvas's font at
    the base font and size, as a plain ``setFont`` would."""
    line = canvas.beginText(x, y)
    for segment in segments(text, bold):
        line.setFont(segment.font, size)
        line.textOut(shapeStr(segment.text, segment.font, size) if segment.rtl else segment.text)
    canvas.drawText(line)
    canvas.setFont(BASE_BOLD if bold else BASE, size)


def draw_right_string(
    canvas: Any, x: float, y: float, text: str, size: float, bold: bool = False
) -> None:
    """``canvas.drawRightString`` for text in any script."""
    draw_string(canvas, x - string_width(text, size, bold), y, text, size, bold)


def markup(text: str, bold: bool = False, tag_base: bool = False) -> str:
    """``text`` as Paragraph markup: escaped, with a ``<font>`` tag around each run Helvetica
    cannot draw (around every run with ``tag_base``). A paragraph lays out words left to right,
    so a right-to-left block's words are given in reverse order."""
    parts = []
    for segment in segments(text, bold):
        body = segment.text
        if segment.rtl:
            body = "".join(reversed(_TOKENS.findall(body)))
        body = escape(body)
        if segment.font in (BASE, BASE_BOLD) and not tag_base:
            parts.append(body)
        else:
            parts.append(f'<font face="{segment.font}">{body}</font>')
    return "".join(parts)


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of plain ``text`` (not markup) in any script; bold when the style's font is.

    ReportLab shapes a paragraph's words only when the style's own font can be shaped, so a
    paragraph holding Arabic or Persian gets that font as its style's, with every other run
    tagged with its font."""
    bold = "Bold" in style.fontName
    rtl = [s.font for s in segments(text, bold) if s.rtl and s.font not in (BASE, BASE_BOLD)]
    if rtl:
        style = ParagraphStyle(f"{style.name}-rtl", parent=style, fontName=rtl[0], shaping=1)
        return Paragraph(markup(text, bold, tag_base=True), style)
    return Paragraph(markup(text, bold) or "&nbsp;", style)
