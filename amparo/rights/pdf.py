"""PDFs built in memory: the wallet rights card and the family plan.

Nothing is written to disk. Text in English and Spanish is drawn in ReportLab's built-in
Helvetica family, which every PDF reader has; a word in any other script (a name in Vietnamese,
Arabic, Chinese...) in an embedded font that has it (amparo.core.pdf_fonts). In a right-to-left
language (Arabic) the lines start at the right margin and are shaped and ordered right to left.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence

from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer

from amparo.core.identity import fund_name
from amparo.core.pdf_fonts import draw_right_string, draw_string, isolate, paragraph

from .forms import PLAN_STEPS
from .hotlines import Hotline

CARD_SIZE = (85 * mm, 55 * mm)
FONT = "Helvetica"
BOLD = "Helvetica-Bold"


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
            _("Call for help: %(phone)s") % {"phone": isolate(hotline.phone)}
            if hotline is not None
            else ""
        )
        rtl = translation.get_language_bidi()
    canvas.setLineWidth(0.6)
    canvas.roundRect(1.5 * mm, 1.5 * mm, width - 3 * mm, height - 3 * mm, 2 * mm)

    def line(y: float, text: str, size: float, bold: bool = False) -> None:
        if rtl:
            draw_right_string(canvas, width - margin, y, text, size, bold, rtl=True)
        else:
            draw_string(canvas, margin, y, text, size, bold)

    line(height - margin - 7, title, 9, bold=True)
    style = ParagraphStyle("card", fontName=FONT, fontSize=6.2, leading=7.3)
    y = height - margin - 11
    for point in points:
        block = paragraph("• " + point, style, rtl=rtl)
        _w, h = block.wrap(width - 2 * margin, height)
        y -= h + 0.8
        block.drawOn(canvas, margin, y)
    if call:
        line(margin + 7, call, 6.8, bold=True)
    line(margin, footer, 5.2)
    canvas.showPage()


def card_languages(language: str) -> tuple[str, str]:
    """The front in the reader's language; the back in English (in Spanish for English readers).

    An officer reads the English side; a reader of Russian or Haitian Creole keeps their own.
    """
    front = language if language else "en"
    back = "es" if front == "en" else "en"
    return front, back


def rights_card(*, language: str, hotlines: Sequence[Hotline], compress: bool = True) -> bytes:
    """A wallet card (85 x 55 mm), one language per side: two pages."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=CARD_SIZE, pageCompression=int(compress))
    with translation.override(language):
        canvas.setTitle(_("Know your rights"))
    canvas.setAuthor(fund_name())
    hotline = hotlines[0] if hotlines else None
    for side in card_languages(language):
        _card_side(canvas, side, hotline)
    canvas.save()
    return buffer.getvalue()


def _paragraphs(text: str, style: ParagraphStyle, rtl: bool) -> list[Flowable]:
    return [paragraph(line, style, rtl) for line in text.split("\n")]


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
    rtl = translation.get_language_bidi()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        title=title,
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
        paragraph(title, h1, rtl),
        paragraph(
            _(
                "Made on %(date)s. Keep it in a safe place and give a copy to the people named in it."
            )
            % {"date": formats.date_format(today, "DATE_FORMAT")},
            small,
            rtl,
        ),
    ]
    for step in PLAN_STEPS:
        answer = answers.get(step.name, "").strip()
        story.append(paragraph(str(step.heading), h2, rtl))
        if answer:
            story.extend(_paragraphs(answer, body, rtl))
        else:
            story.append(paragraph(_("(Nothing written yet.)"), small, rtl))
    if hotlines:
        story.append(paragraph(_("Numbers to know"), h2, rtl))
        for line in hotlines:
            parts = [line.name, line.phone, line.hours]
            story.append(paragraph(" · ".join(isolate(p) for p in parts if p), body, rtl))
    story.append(Spacer(1, 8 * mm))
    story.append(
        paragraph(
            _(
                "You have the right to remain silent and the right to a lawyer. This plan is general information, not legal advice. Amparo did not keep a copy of it."
            ),
            small,
            rtl,
        )
    )
    document.build(story)
    return buffer.getvalue()
