"""Tax receipts and year-end statements as PDF (ReportLab), in the donor's language."""

from __future__ import annotations

import io

from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas

from amparo.core.identity import fund_name
from amparo.core.pdf_fonts import draw_string
from amparo.ledger.currency import format_money

from .models import Gift, Receipt, ReceiptKind


def _fund_name() -> str:
    """The fund's name as pages and mails write it (``amparo.core.identity``)."""
    return fund_name()


def receipt_pdf(receipt: Receipt) -> bytes:
    """The receipt as PDF bytes, written in ``receipt.language``. Reads the donor's name."""
    buffer = io.BytesIO()
    with translation.override(receipt.language or "en"):
        # Uncompressed: small files, and the text stays searchable by simple tools.
        canvas = Canvas(buffer, pagesize=LETTER, invariant=1, pageCompression=0)
        title = _("Tax receipt") if receipt.kind == ReceiptKind.GIFT else _("Year-end statement")
        canvas.setTitle(f"{title} {receipt.number}")
        canvas.setAuthor(_fund_name())
        canvas.setSubject(title)
        y = LETTER[1] - inch
        draw_string(canvas, inch, y, _fund_name(), 16, bold=True)
        y -= 0.4 * inch
        draw_string(canvas, inch, y, f"{title} {receipt.number}", 13, bold=True)
        lines = [
            _("Issued on %(date)s")
            % {"date": formats.date_format(receipt.issued_at.date(), "DATE_FORMAT")},
            _("Donor: %(name)s") % {"name": receipt.donor.display_name},
            "",
        ]
        if receipt.kind == ReceiptKind.GIFT and receipt.gift is not None:
            gift = receipt.gift
            lines += [
                _("Received on %(date)s: %(amount)s")
                % {
                    "date": formats.date_format(gift.received_on, "DATE_FORMAT"),
                    "amount": format_money(gift.amount, gift.currency),
                },
                _("Reference: %(reference)s") % {"reference": gift.reference},
            ]
            if gift.designation is not None:
                lines.append(_("Designated for: %(name)s") % {"name": gift.designation.name})
        else:
            lines.append(_("Gifts received in %(year)s:") % {"year": receipt.year})
            for gift in Gift.objects.filter(
                donor=receipt.donor, received_on__year=receipt.year
            ).order_by("received_on"):
                lines.append(
                    "  "
                    + formats.date_format(gift.received_on, "SHORT_DATE_FORMAT")
                    + "   "
                    + format_money(gift.amount, gift.currency)
                    + "   "
                    + gift.reference
                )
            lines.append(
                _("Total: %(amount)s") % {"amount": format_money(receipt.total, receipt.currency)}
            )
        lines += [
            "",
            _("No goods or services were provided in exchange for this contribution."),
            _("Please keep this receipt for your tax records."),
        ]
        for line in lines:
            y -= 0.3 * inch
            if y < inch:
                canvas.showPage()
                y = LETTER[1] - inch
            draw_string(canvas, inch, y, line, 11)
        canvas.showPage()
        canvas.save()
    return buffer.getvalue()
