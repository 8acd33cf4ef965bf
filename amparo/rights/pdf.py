"""PDFs built in memory: the wallet rights card and the family plan.

Nothing is written to disk. The fonts are ReportLab's built-in Helvetica family, which every
PDF reader has and which covers Spanish (Latin-1); characters outside it are reduced to their
plain letters (``ơ`` -> ``o``) so that nothing is lost silently as a black box.
"""

from __future__ import annotations

import datetime
import io
import unicodedata
from collections.abc import Sequence
from xml.sax.saxutils import escape

from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from amparo.core.identity import fund_name

from .forms import PLAN_STEPS
from .hotlines import Hotline

CARD_SIZE = (85 * mm, 55 * mm)
FONT = "Helvetica"
BOLD = "Helvetica-Bold"


#: Letters with no decomposition to a plain one.
_PLAIN = str.maketrans({"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i"})


def pdf_text(text: str) -> str:
    """``text`` in characters Helvetica can draw (Windows-1252)."""
    out = []
    for char in text.translate(_PLAIN):
        try:
            char.encode("cp1252")
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(plain or "?")
        else:
            out.append(char)
    return "".join(out)


def card_lines() -> tuple[str, list[str], str]:
    """The card's title, its points and the footer, in the active language."""
    return (
        _("Know your rights"),
        [
            _("You have the right to remain silent."),
            _(
                "Do not open the door. Ask them to slide a warrant signed by a judge under the door."
            ),
            _("Do not sign anything you do not understand."),
            _("You have the right to talk to a lawyer."),
            _("Say: I want to remain silent. I want to talk to a lawyer."),
        ],
        _("General information, not legal advice."),
    )


def _card_side(canvas: Canvas, language: str, hotline: Hotline | None) -> None:
    width, height = CARD_SIZE
    margin = 3.5 * mm
    with translation.override(language):
        title, points, footer = card_lines()
        call = (
            _("Call for help: %(phone)s") % {"phone": hotline.phone} if hotline is not None else ""
        )
    canvas.setLineWidth(0.6)
    canvas.roundRect(1.5 * mm, 1.5 * mm, width - 3 * mm, height - 3 * mm, 2 * mm)
    canvas.setFont(BOLD, 9)
    canvas.drawString(margin, height - margin - 7, pdf_text(title))
    style = ParagraphStyle("card", fontName=FONT, fontSize=6.2, leading=7.3)
    y = height - margin - 11
    for point in points:
        paragraph = Paragraph("• " + escape(pdf_text(point)), style)
        _w, h = paragraph.wrap(width - 2 * margin, height)
        y -= h + 0.8
        paragraph.drawOn(canvas, margin, y)
    canvas.setFont(BOLD, 6.8)
    if call:
        canvas.drawString(margin, margin + 7, pdf_text(call))
    canvas.setFont(FONT, 5.2)
    canvas.drawString(margin, margin, pdf_text(footer))
    canvas.showPage()


def card_languages(language: str) -> tuple[str, str]:
    """The front in the reader's language, the back in the other of English and Spanish."""
    front = language if language else "en"
    back = "en" if front == "es" else "es"
    return front, back


def rights_card(*, language: str, hotlines: Sequence[Hotline], compress: bool = True) -> bytes:
    """A wallet card (85 x 55 mm), one language per side: two pages."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=CARD_SIZE, pageCompression=int(compress))
    with translation.override(language):
        canvas.setTitle(pdf_text(_("Know your rights")))
    canvas.setAuthor(fund_name())
    hotline = hotlines[0] if hotlines else None
    for side in card_languages(language):
        _card_side(canvas, side, hotline)
    canvas.save()
    return buffer.getvalue()


def _paragraphs(text: str, style: ParagraphStyle) -> list[Paragraph]:
    return [Paragraph(escape(pdf_text(line)) or "&nbsp;", style) for line in text.split("\n")]


def family_plan(
    *,
    answers: dict[str, str],
    hotlines: Sequence[Hotline],
    today: datetime.date,
    compress: bool = True,
) -> bytes:
    """The family plan as a PDF, in the active language. The answers go into the file only."""
    buffer = io.BytesIO()
    title = _("Family preparedness plan")
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        title=pdf_text(title),
        author=fund_name(),
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        pageCompression=int(compress),
        invariant=not compress,
    )
    h1 = ParagraphStyle("h1", fontName=BOLD, fontSize=18, leading=22, spaceAfter=6)
    h2 = ParagraphStyle(
        "h2", fontName=BOLD, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=3
    )
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=14.5)
    small = ParagraphStyle("small", fontName=FONT, fontSize=9, leading=12)
    story: list[object] = [
        Paragraph(escape(pdf_text(title)), h1),
        Paragraph(
            escape(
                pdf_text(
                    _(
                        "Made on %(date)s. Keep it in a safe place and give a copy to the people named in it."
                    )
                    % {"date": formats.date_format(today, "DATE_FORMAT")}
                )
            ),
            small,
        ),
    ]
    for step in PLAN_STEPS:
        answer = answers.get(step.name, "").strip()
        story.append(Paragraph(escape(pdf_text(str(step.heading))), h2))
        if answer:
            story.extend(_paragraphs(answer, body))
        else:
            story.append(Paragraph(escape(pdf_text(_("(Nothing written yet.)"))), small))
    if hotlines:
        story.append(Paragraph(escape(pdf_text(_("Numbers to know"))), h2))
        for line in hotlines:
            parts = [line.name, line.phone, line.hours]
            story.append(Paragraph(escape(pdf_text(" · ".join(p for p in parts if p))), body))
    story.append(Spacer(1, 8 * mm))
    story.append(
        Paragraph(
            escape(
                pdf_text(
                    _(
                        "You have the right to remain silent and the right to a lawyer. This plan is general information, not legal advice. Amparo did not keep a copy of it."
                    )
                )
            ),
            small,
        )
    )
    document.build(story)
    return buffer.getvalue()
