"""The funder report drawn as PDF (ReportLab), in the viewer's language.

Uncompressed and invariant (no timestamps or random ids): the same figures give the same
bytes, and the text stays searchable by simple tools.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from amparo.core.identity import fund_name
from amparo.core.pdf_fonts import draw_right_string, draw_string, paragraph
from amparo.core.terms import Custody
from amparo.grants.models import ReportState
from amparo.ledger.currency import format_money
from amparo.organizations.models import GrantCategory

from .funder import (
    NOT_SCHEDULED,
    CaseFigures,
    CountColumn,
    CountTable,
    FunderReport,
    quarter_label,
)


def _count(value: int | None, limit: int) -> str:
    """A count standing alone: hidden when small (the grantee's own) or when it would give a
    small one back (Amparo's, protected jointly)."""
    if value is None:
        return _("hidden")
    return formats.number_format(value, force_grouping=True)


def _cell(value: int | None) -> str:
    """A figure of a published table; suppressed ones all look the same, small or not, so
    that telling them apart cannot narrow a small one down."""
    if value is None:
        return _("hidden")
    return formats.number_format(value, force_grouping=True)


def _date(day: datetime.date | None) -> str:
    return formats.date_format(day, "DATE_FORMAT") if day else "\u2014"


def _outcome_labels() -> dict[str, str]:
    return {
        "relief": _("Relief granted"),
        "protection": _("Protection, with a removal order"),
        "terminated": pgettext("count of cases", "Terminated or dismissed"),
        "removal": _("Removal or denial"),
        "other": _("Other"),
    }


def _category_label(key: str) -> str:
    return str(dict(GrantCategory.choices).get(key, key))


def _state_line(report: FunderReport) -> str:
    filing = report.filing
    due = _date(filing.due_on)
    if filing.state == NOT_SCHEDULED:
        return _("No quarterly report is scheduled for this quarter.")
    if filing.state == ReportState.SUBMITTED:
        return _("Filed on %(date)s (it was due on %(due)s).") % {
            "date": _date(filing.submitted_on),
            "due": due,
        }
    if filing.state == ReportState.VERY_LATE:
        return _("Very late: it was due on %(due)s and has not been filed.") % {"due": due}
    if filing.state == ReportState.LATE:
        return _("Late: it was due on %(due)s and has not been filed.") % {"due": due}
    if filing.state == ReportState.DUE:
        return _("Due on %(due)s; not filed yet.") % {"due": due}
    return _("Not due yet: due on %(due)s.") % {"due": due}


class _Styles:
    def __init__(self) -> None:
        base = getSampleStyleSheet()
        self.title = ParagraphStyle("title", parent=base["Title"], fontSize=18, spaceAfter=4)
        self.subtitle = ParagraphStyle("subtitle", parent=base["Heading2"], spaceBefore=0)
        self.h2 = ParagraphStyle("h2", parent=base["Heading2"], spaceBefore=12)
        self.h3 = ParagraphStyle("h3", parent=base["Heading3"], spaceBefore=8)
        self.body = ParagraphStyle("body", parent=base["BodyText"], fontSize=10, leading=13)
        self.cell = ParagraphStyle("cell", parent=self.body, spaceBefore=0, spaceAfter=0)
        self.head = ParagraphStyle("head", parent=self.cell, fontName="Helvetica-Bold")
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8.5, leading=11)

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return paragraph(text, style or self.body)


def _table(
    s: _Styles, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
) -> Table:
    data = [[paragraph(h, s.head) for h in header]]
    data += [[paragraph(c, s.cell) for c in row] for row in rows]
    table = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _opened_closed(s: _Styles, opened: CountColumn, closed: CountColumn) -> Table:
    keys = list(dict.fromkeys([*opened.keys, *closed.keys]))
    rows = [
        [
            _category_label(k),
            _cell(opened.get(k) if k in opened.keys else 0),
            _cell(closed.get(k) if k in closed.keys else 0),
        ]
        for k in keys
    ]
    rows.append([_("Total"), _cell(opened.total), _cell(closed.total)])
    return _table(
        s,
        [_("Grant category"), _("Cases opened"), _("Cases closed")],
        rows,
        [3.4 * inch, 1.5 * inch, 1.5 * inch],
    )


def _outcomes(s: _Styles, outcomes: CountColumn | CountTable) -> Table:
    labels = _outcome_labels()
    if isinstance(outcomes, CountColumn):
        rows = [
            [labels.get(k, k), _cell(v)]
            for k, v in zip(outcomes.keys, outcomes.values, strict=True)
        ]
        rows.append([_("Total"), _cell(outcomes.total)])
        return _table(s, [_("Outcome"), _("Cases")], rows, [3.4 * inch, 1.5 * inch])
    custody = dict(Custody.choices)
    rows = [
        [str(custody.get(key, key)), *[_cell(v) for v in cells], _cell(total)]
        for key, cells, total in zip(
            outcomes.row_keys, outcomes.cells, outcomes.row_totals, strict=True
        )
    ]
    rows.append(
        [
            _("Total"),
            *[_cell(v) for v in outcomes.col_totals],
            _cell(outcomes.grand_total),
        ]
    )
    header = [_("Custody"), *[labels.get(k, k) for k in outcomes.col_keys], _("Total")]
    first = 1.5 * inch
    rest = (6.5 * inch - first) / (len(header) - 1)
    return _table(s, header, rows, [first, *[rest] * (len(header) - 1)])


def _figures(s: _Styles, figures: CaseFigures, limit: int) -> list[Flowable]:
    return [
        _opened_closed(s, figures.opened, figures.closed),
        Spacer(1, 6),
        s.p(_("Outcomes decided in the quarter (completed cases)"), s.h3),
        _outcomes(s, figures.outcomes),
        Spacer(1, 6),
        s.p(_("Detained people served: %(n)s") % {"n": _count(figures.detained_served, limit)}),
    ]


def _story(report: FunderReport, s: _Styles) -> list[Flowable]:
    limit = report.threshold

    q = report.quarter
    story: list[Flowable] = [
        s.p(_("Funder report"), s.title),
        s.p(f"{report.grantee} \u2014 {quarter_label(q)}", s.subtitle),
        s.p(_("Period: %(start)s to %(end)s") % {"start": _date(q.start), "end": _date(q.end)}),
        s.p(_("The grant"), s.h2),
        _table(
            s,
            [_("Item"), _("Value")],
            [
                [_("Grantee"), report.grantee],
                [_("Grant round"), report.round_name],
                [_("Grant category"), _category_label(report.category)],
                [_("Amount awarded"), format_money(report.awarded, report.currency)],
                [_("Awarded on"), _date(report.decided_on)],
            ],
            [2.2 * inch, 4.3 * inch],
        ),
        s.p(_("Money paid to the grantee"), s.h2),
        _table(
            s,
            [_("Item"), _("Amount")],
            [
                [
                    _("Disbursed in the quarter"),
                    format_money(report.disbursed_in_quarter, report.currency),
                ],
                [
                    _("Disbursed to the end of the quarter"),
                    format_money(report.disbursed_to_date, report.currency),
                ],
                [
                    _("Not yet disbursed at the end of the quarter"),
                    format_money(report.remaining, report.currency),
                ],
            ],
            [4.2 * inch, 2.3 * inch],
        ),
    ]
    if report.tranches:
        story += [
            s.p(_("Disbursement schedule"), s.h3),
            _table(
                s,
                [_("Tranche"), _("Scheduled for"), _("Paid on"), _("Amount")],
                [
                    [
                        str(t.number),
                        _date(t.due_on),
                        _date(t.paid_on) if t.paid_on else _("not paid yet"),
                        format_money(t.amount, report.currency),
                    ]
                    for t in report.tranches
                ],
                [0.9 * inch, 2.0 * inch, 2.0 * inch, 1.6 * inch],
            ),
        ]
    filing = report.filing
    story += [s.p(_("The grantee's quarterly report"), s.h2), s.p(_state_line(report))]
    if filing.figures is not None:
        story += [
            s.p(
                _("Reported by the grantee for %(start)s to %(end)s.")
                % {"start": _date(filing.period_start), "end": _date(filing.period_end)}
            ),
            *_figures(s, filing.figures, limit),
            s.p(
                _("Spending reported: %(amount)s")
                % {"amount": format_money(filing.spend or 0, report.currency)}
            ),
        ]
    story += [
        s.p(_("Amparo's case figures for this organization"), s.h2),
        s.p(
            _(
                "Cases the grantee's organization recorded in Amparo: opened, closed and decided "
                "in the quarter."
            )
        ),
        *_figures(s, report.amparo, limit),
        s.p(_("About these figures"), s.h2),
        s.p(
            _(
                "Small counts are hidden so that no client can be singled out: a count from 1 to "
                "%(below)s reads “hidden”, and so do other figures that would let someone work "
                "one out from the tables and totals. No client is named in this report."
            )
            % {"below": limit - 1},
            s.small,
        ),
        s.p(_("Sources"), s.h3),
        s.p(
            _(
                "Grant and money: Amparo's grant records and its double-entry ledger (the "
                "journal entries posted when each tranche was paid, and any reversal of them)."
            ),
            s.small,
        ),
        s.p(
            _(
                "Grantee's report: the quarterly report as the grantee filed it; the fund does "
                "not audit these figures."
            ),
            s.small,
        ),
        s.p(
            _(
                "Amparo's case figures: cases and outcomes recorded in Amparo by the grantee's "
                "organization, counted by grant category, custody and outcome."
            ),
            s.small,
        ),
        s.p(_("Prepared on %(date)s.") % {"date": _date(report.generated_on)}, s.small),
    ]
    return story


def _fund_name() -> str:
    """The fund's name as pages and mails write it (``amparo.core.identity``)."""
    return fund_name()


def funder_report_pdf(report: FunderReport, language: str) -> bytes:
    """The report as PDF bytes, written in ``language`` ("en" or "es")."""
    buffer = io.BytesIO()
    with translation.override(language):
        title = _("Funder report")
        s = _Styles()
        footer = f"{report.grantee} \u2014 {quarter_label(report.quarter)}"
        page_word = _("Page %(n)s")

        def on_page(canvas: Any, doc: Any) -> None:
            canvas.saveState()
            draw_string(canvas, inch, 0.6 * inch, footer, 8)
            draw_right_string(canvas, LETTER[0] - inch, 0.6 * inch, page_word % {"n": doc.page}, 8)
            canvas.restoreState()

        doc = SimpleDocTemplate(
            buffer,
            pagesize=LETTER,
            leftMargin=inch,
            rightMargin=inch,
            topMargin=0.9 * inch,
            bottomMargin=0.9 * inch,
            title=f"{title}: {footer}",
            author=_fund_name(),
            subject=title,
            lang=language,
            invariant=1,
            pageCompression=0,
        )
        doc.build(_story(report, s), onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def filename(report: FunderReport) -> str:
    return f"funder-report-{report.grant_id}-{report.quarter}.pdf"
