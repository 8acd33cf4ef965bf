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

Right to left: a line holding right-to-left text is laid out by the Unicode Bidirectional
Algorithm (UAX #9). A document in a left-to-right language has left-to-right paragraphs (as a
browser shows the same text on a ``dir="ltr"`` page); one in Arabic (``rtl=True``) has
right-to-left paragraphs, drawn from the right margin, wrapped in reading order and each line
then reordered (:class:`RtlParagraph`). The embedding levels
(rules P–I: explicit embeddings and isolates, weak and neutral types, bracket pairs) come from
``python-bidi``, which wraps the Rust ``unicode-bidi`` crate; this module applies the line rules:
L1 (trailing whitespace and separators back to the paragraph level), L2 (reverse from the highest
level to the lowest odd one), and L4 (mirrored glyphs at odd levels: HarfBuzz mirrors inside the
runs it shapes, this module the few neutral-only ones it does not). A right-to-left level run is
shaped by HarfBuzz in logical order, which puts its letters right to left; a number inside it is
its own left-to-right run. A value set beside others on one line (a name, then a phone number)
goes in :func:`isolate`, so that its direction does not spill onto its neighbours. A paragraph is
reordered before ReportLab wraps it, so a mixed line long enough to wrap would wrap in visual
order; names and short answers do not.
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

from bidi import get_display
from bidi.mirror import MIRRORED
from reportlab.lib.abag import ABag
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont, shapeFragWord
from reportlab.platypus import Flowable, Paragraph

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
    """Text drawn in one font. ``rtl``: HarfBuzz shapes it right to left, so ``text`` holds it in
    reading (logical) order; otherwise ``text`` is already in the order drawn, left to right."""

    font: str
    text: str
    rtl: bool = False


_TOKENS = re.compile(r"\s+|\S+")
#: Bidi classes that make a line need the algorithm: strong right to left, Arabic numbers and
#: the explicit embeddings, overrides and isolates. A line with none of them is all level 0.
_BIDI_CLASSES = frozenset(
    {"R", "AL", "AN", "LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
)
#: Classes that rule L1 puts back at the paragraph level at the end of a line or before a
#: segment separator (whitespace, isolate marks, and what rule X9 removed).
_L1_TRAILING = frozenset(
    {"WS", "LRI", "RLI", "FSI", "PDI", "BN", "LRE", "RLE", "LRO", "RLO", "PDF"}
)
_LEVELS_FIELD = "\n    levels: ["
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


#: The directional formatting characters: they steer the algorithm and are never drawn.
_INVISIBLE = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def isolate(value: str) -> str:
    """``value`` as a directional isolate (FSI ... PDI): it takes the direction of its own first
    letter and leaves the text around it alone. For a value put beside others on one line (a
    name, then a phone number): without it, the digits after an Arabic name would join the
    name's right-to-left phrase and print as "0100-555 (303)"."""
    return f"\u2068{value}\u2069"


class BidiUnavailable(RuntimeError):
    """python-bidi did not report the levels as this module reads them (another version)."""


def _resolved_levels(text: str, rtl: bool = False) -> list[int]:
    """Each character's embedding level after rules P2–I2, the paragraph left to right (right
    to left with ``rtl``).

    ``python-bidi`` returns the levels it computed when asked with ``debug=True``: the Rust
    crate's ``BidiInfo``, one level per UTF-8 byte. If that form ever changes, this raises
    rather than drawing the line in a wrong order."""
    info = str(get_display(text, base_dir="R" if rtl else "L", debug=True))
    start = info.find(_LEVELS_FIELD)
    end = info.find("\n    ],", start)
    if start < 0 or end < 0:
        raise BidiUnavailable("python-bidi gave no levels")
    per_byte = [int(level) for level in _LEVEL.findall(info, start, end)]
    levels: list[int] = []
    offset = 0
    for char in text:
        if offset >= len(per_byte):
            break
        levels.append(per_byte[offset])
        offset += len(char.encode())
    if offset != len(per_byte) or len(levels) != len(text):
        raise BidiUnavailable("python-bidi's levels do not match the text")
    return levels


def line_levels(text: str, rtl: bool = False) -> list[int]:
    """Each character's level on a line of ``text`` (rules P–I, then L1); the paragraph right
    to left with ``rtl``."""
    if not any(unicodedata.bidirectional(c) in _BIDI_CLASSES for c in text):
        return [0] * len(text)  # no right-to-left letter: drawn as typed either way
    base = 1 if rtl else 0
    levels = _resolved_levels(text, rtl)
    trailing = True  # L1: at the end of the line, and before each segment separator
    for i in range(len(text) - 1, -1, -1):
        kind = unicodedata.bidirectional(text[i])
        if kind in ("S", "B"):
            levels[i] = base
            trailing = True
        elif trailing and kind in _L1_TRAILING:
            levels[i] = base
        else:
            trailing = False
    return levels


def visual_runs(text: str, rtl: bool = False) -> list[tuple[int, str]]:
    """The line's level runs (level, text in logical order), in the order drawn left to right
    (rule L2: from the highest level down to the lowest odd one, reverse every sequence of runs
    at that level or higher)."""
    levels = line_levels(text, rtl)
    runs: list[tuple[int, str]] = []
    for char, level in zip(text, levels, strict=True):
        if char in _INVISIBLE:
            continue
        if runs and runs[-1][0] == level:
            runs[-1] = (level, runs[-1][1] + char)
        else:
            runs.append((level, char))
    if not runs:
        return runs
    odd = [level for level, _ in runs if level % 2]
    lowest_odd = min(odd) if odd else min(level for level, _ in runs) + 1
    for level in range(max(level for level, _ in runs), lowest_odd - 1, -1):
        i = 0
        while i < len(runs):
            if runs[i][0] < level:
                i += 1
                continue
            j = i
            while j < len(runs) and runs[j][0] >= level:
                j += 1
            runs[i:j] = runs[i:j][::-1]
            i = j
    return runs


def _has_rtl_letter(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def _mirrored(text: str) -> str:
    """Rule L4 for text drawn right to left without HarfBuzz: reversed, each bracket mirrored."""
    return "".join(MIRRORED.get(c, c) for c in reversed(text))


def _rtl_segments(run: str, bold: bool) -> list[Segment]:
    """A right-to-left level run, as font runs drawn left to right. A run whose strong letters
    are all right to left is shaped by HarfBuzz (which mirrors its brackets); one with none (a
    lone bracket) or with an overridden left-to-right letter is reversed and mirrored here."""
    arabic = _font_name("arabic", bold)
    base = BASE_BOLD if bold else BASE
    pieces: list[tuple[str, str]] = []
    for char in run:
        if pieces and (
            _covers(pieces[-1][0], char) or (pieces[-1][0] == base and _base_can_draw(char))
        ):
            pieces[-1] = (pieces[-1][0], pieces[-1][1] + char)
        elif _covers(arabic, char):
            pieces.append((arabic, char))
        elif _base_can_draw(char):
            pieces.append((base, char))
        else:
            pieces.append((_font_for(char, bold), char))
    out = []
    for font, piece in reversed(pieces):
        strong_ltr = any(unicodedata.bidirectional(c) == "L" for c in piece)
        if _has_rtl_letter(piece) and not strong_ltr and font not in (BASE, BASE_BOLD):
            out.append(Segment(font, piece, rtl=True))
        else:
            out.append(Segment(font, _mirrored(piece)))
    return out


def _ltr_segments(run: str, bold: bool) -> list[Segment]:
    base = BASE_BOLD if bold else BASE
    out: list[Segment] = []
    for token in _TOKENS.findall(run):
        for font, text in [(base, token)] if _base_can_draw(token) else _word_runs(token, bold):
            out.append(Segment(font, text))
    return out


def segments(text: str, bold: bool = False, rtl: bool = False) -> list[Segment]:
    """The line as font runs, in the order drawn left to right."""
    out: list[Segment] = []
    for level, run in visual_runs(text, rtl):
        for segment in _rtl_segments(run, bold) if level % 2 else _ltr_segments(run, bold):
            last = out[-1] if out else None
            if last and last.font == segment.font and not last.rtl and not segment.rtl:
                last.text += segment.text
            else:
                out.append(segment)
    return out


def _shaped(text: str, font: str, size: float) -> tuple[str, float]:
    """A right-to-left run shaped by HarfBuzz (glyphs in the order drawn) and its width."""
    plain = pdfmetrics.stringWidth(text, font, size)
    word = shapeFragWord([plain, (ABag(fontName=font, fontSize=size), text)])
    if len(word) != 2:  # one font, one fragment: anything else is not ours to draw
        raise ValueError("a right-to-left run is shaped in one font")
    return word[1][1], float(word[0])


def _width(part: Segment, size: float, text: str | None = None) -> float:
    body = part.text if text is None else text
    if part.rtl:
        return _shaped(body, part.font, size)[1]
    return float(pdfmetrics.stringWidth(body, part.font, size))


def string_width(text: str, size: float, bold: bool = False, rtl: bool = False) -> float:
    """The width of ``text`` drawn by ``draw_string`` (right-to-left runs as shaped)."""
    return float(sum(_width(s, size) for s in segments(text, bold, rtl)))


def draw_string(
    canvas: Any, x: float, y: float, text: str, size: float, bold: bool = False, rtl: bool = False
) -> None:
    """``canvas.drawString`` for text in any script: the font runs go in one text object, one
    after the other, so that a reader copies the line as one line. Leaves the canvas's font at
    the base font and size, as a plain ``setFont`` would.

    On a line with right-to-left text each run is placed at its own position, and the spaces
    that separate a right-to-left run from its neighbours are left as that gap rather than
    drawn: text extractors that read a page run by run (pypdf among them) take a space glyph
    at the edge of a right-to-left run as part of it and move it, and every extractor reads a
    gap as a space."""
    parts = segments(text, bold, rtl)
    line = canvas.beginText(x, y)
    if not any(part.rtl for part in parts):
        for part in parts:
            line.setFont(part.font, size)
            line.textOut(part.text)
    else:
        cursor = x
        for i, part in enumerate(parts):
            body, before, after = part.text, "", ""
            if not part.rtl:
                if i > 0 and parts[i - 1].rtl:
                    before = body[: len(body) - len(body.lstrip())]
                if i + 1 < len(parts) and parts[i + 1].rtl:
                    after = body[len(body.rstrip()) :]
                body = body[len(before) : len(body) - len(after)]
            cursor += _width(part, size, before)
            # The position first, then the font: a reader ends the run before at the move.
            line.setTextOrigin(cursor, y)
            line.setFont(part.font, size)
            if part.rtl:
                glyphs, width = _shaped(body, part.font, size)
                line.textOut(glyphs)
            elif body:
                width = _width(part, size, body)
                line.textOut(body)
            else:
                width = 0.0
            cursor += width + _width(part, size, after)
    canvas.drawText(line)
    canvas.setFont(BASE_BOLD if bold else BASE, size)


def draw_right_string(
    canvas: Any, x: float, y: float, text: str, size: float, bold: bool = False, rtl: bool = False
) -> None:
    """``canvas.drawRightString`` for text in any script (a right-to-left line with ``rtl``)."""
    draw_string(canvas, x - string_width(text, size, bold, rtl), y, text, size, bold, rtl)


def markup(text: str, bold: bool = False, tag_base: bool = False) -> str:
    """``text`` as Paragraph markup: escaped, with a ``<font>`` tag around each run Helvetica
    cannot draw (around every run with ``tag_base``). A paragraph lays out words left to right
    and shapes each word, so a right-to-left run's words are given in reverse order; a word of
    it with no right-to-left letter (a lone bracket) is not shaped right to left, so it is given
    reversed and mirrored here."""
    parts = []
    for segment in segments(text, bold):
        body = segment.text
        if segment.rtl:
            words = reversed(_TOKENS.findall(body))
            body = "".join(w if _has_rtl_letter(w) or w.isspace() else _mirrored(w) for w in words)
        body = escape(body)
        if segment.font in (BASE, BASE_BOLD) and not tag_base:
            parts.append(body)
        else:
            parts.append(f'<font face="{segment.font}">{body}</font>')
    return "".join(parts)


def paragraph(text: str, style: ParagraphStyle, rtl: bool = False) -> Flowable:
    """A Paragraph of plain ``text`` (not markup) in any script; bold when the style's font is;
    a right-to-left :class:`RtlParagraph` with ``rtl`` (a document in Arabic).

    ReportLab shapes a paragraph's words only when the style's own font can be shaped, so a
    paragraph holding Arabic or Persian gets that font as its style's, with every other run
    tagged with its font."""
    if rtl:
        return RtlParagraph(text, style)
    bold = "Bold" in style.fontName
    shaped = [s.font for s in segments(text, bold) if s.rtl and s.font not in (BASE, BASE_BOLD)]
    if shaped:
        style = ParagraphStyle(f"{style.name}-rtl", parent=style, fontName=shaped[0], shaping=1)
        return Paragraph(markup(text, bold, tag_base=True), style)
    return Paragraph(markup(text, bold) or "&nbsp;", style)


class RtlParagraph(Flowable):  # type: ignore[misc]
    """A right-to-left paragraph: each line starts at the right margin.

    ReportLab wraps a paragraph's words left to right, and its own right-to-left wrapping needs
    a library that is not installed (rlbidi). So the words are wrapped here in reading order,
    each line measured as it is drawn, and each line is then laid out by the bidi algorithm with
    a right-to-left paragraph level and drawn by :func:`draw_right_string`: the first words of
    the paragraph are on the first line, at its right end. It splits between lines across
    pages."""

    def __init__(self, text: str, style: ParagraphStyle, lines: list[str] | None = None) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self.bold = "Bold" in style.fontName
        self.lines = lines
        self.width = 0.0
        self.height = 0.0

    def _wrap_lines(self, width: float) -> list[str]:
        size = self.style.fontSize
        lines: list[str] = []
        current = ""
        for word in self.text.split():
            candidate = f"{current} {word}" if current else word
            if current and string_width(candidate, size, self.bold, rtl=True) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        if current or not lines:
            lines.append(current)
        return lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        if self.lines is None or getattr(self, "_wrapped_at", None) != avail_width:
            self.lines = self._wrap_lines(avail_width)
            self._wrapped_at = avail_width
        self.height = len(self.lines) * self.style.leading
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        assert self.lines is not None
        fits = int(avail_height // self.style.leading)
        if fits <= 0 or fits >= len(self.lines):
            return [] if fits <= 0 else [self]
        first = RtlParagraph(" ".join(self.lines[:fits]), self.style, self.lines[:fits])
        rest = RtlParagraph(" ".join(self.lines[fits:]), self.style, self.lines[fits:])
        first._wrapped_at = rest._wrapped_at = avail_width
        return [first, rest]

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)

    def draw(self) -> None:
        style = self.style
        size = style.fontSize
        for i, line in enumerate(self.lines or []):
            baseline = self.height - i * style.leading - size
            draw_right_string(self.canv, self.width, baseline, line, size, self.bold, rtl=True)
