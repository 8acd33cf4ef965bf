"""Read a generated PDF's text back with pypdf, and check a typed name came out as typed.

What is compared, and why. Left-to-right scripts come back exactly as typed. For Arabic and
Persian the page holds shaped glyphs (joined forms and required ligatures, chosen by HarfBuzz)
in right-to-left order; ReportLab's ToUnicode map names each shaped glyph by its Unicode
presentation form (U+FB50-U+FEFF) and pypdf puts right-to-left text back in reading (logical)
order. So the text is compared after NFKC normalization, which turns each presentation form
back into the letters it was shaped from (ﻣ -> م, ﲪ -> حم): the typed name must then appear
exactly, letter for letter. Nothing else is normalized away.
"""

from __future__ import annotations

import io
import unicodedata

import pypdf

#: A name in each script the PDFs must print.
NAMES = (
    "王小明",
    "محمد أحمد",
    "مریم حسینی",
    "Nguyễn Thị Hương",
    "Иван Петров",
    "አበበ ቢቂላ",
    "José Ñúñez",
)


def text(data: bytes) -> str:
    """Every page's text, as pypdf extracts it."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def assert_printed(data: bytes, name: str) -> None:
    """The PDF's text holds the name exactly, and no replacement character or "?" at all."""
    found = unicodedata.normalize("NFKC", text(data))
    assert name in found, (name, found)
    assert "\ufffd" not in found
    assert "?" not in found
