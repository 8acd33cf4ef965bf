"""The grant agreement as PDF (ReportLab), in English or Spanish. No client data."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas

from amparo.core.pdf_fonts import draw_string
from amparo.ledger.currency import format_money

from .models import Award


def agreement_pdf(award: Award, language: str) -> bytes:
    application = award.application
    grant_round = application.round
    buffer = io.BytesIO()
    with translation.override(language):
        canvas = Canvas(buffer, pagesize=LETTER, invariant=1, pageCompression=0)
        title = _("Grant agreement")
        canvas.setTitle(f"{title} {award.pk}")
        y = LETTER[1] - inch
        draw_string(canvas, inch, y, title, 16, bold=True)
        lines = [
            _("Grant round: %(name)s") % {"name": grant_round.name},
            _("Grantee: %(org)s") % {"org": application.organization.name},
            _("Category: %(category)s") % {"category": application.get_category_display()},
            _("Amount awarded: %(amount)s")
            % {"amount": format_money(award.amount, grant_round.currency, language)},
            _("Funds are restricted to: %(restriction)s")
            % {"restriction": grant_round.restriction.name},
            "",
            _("Disbursement schedule:"),
        ]
        for t in award.tranches.all():
            lines.append(
                _("Tranche %(n)s: %(amount)s on %(date)s")
                % {
                    "n": t.number,
                    "amount": format_money(t.amount, grant_round.currency, language),
                    "date": t.due_on.isoformat(),
                }
            )
        lines += [
            "",
            _("The grantee reports every quarter: cases opened and closed by category,"),
            _("outcomes, detained people served and spending, within 30 days of the quarter."),
            _("Reports carry counts only and never identify a client."),
        ]
        y -= 0.5 * inch
        for line in lines:
            draw_string(canvas, inch, y, line, 11)
            y -= 0.25 * inch
        canvas.showPage()
        canvas.save()
    return buffer.getvalue()
