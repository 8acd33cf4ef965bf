"""Small, accessible SVG bar charts rendered on the server (no JavaScript, no library).

Each chart has a <title> and <desc> referenced by aria-labelledby, role="img", and every text
is escaped. The page shows the same figures in a table beside the chart.

On a right-to-left page the chart is mirrored: labels on the right, bars growing to the left.
The SVG's own ``direction`` is fixed to ``ltr`` so that ``text-anchor`` means the same side
whatever the page's direction (an inline SVG inherits it); the text inside still reads right
to left by the bidi algorithm.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi

BAR_HEIGHT = 28
GAP = 10
LABEL_WIDTH = 360
BAR_WIDTH = 300
VALUE_WIDTH = 90


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    bars: Sequence[tuple[str, int | None, str]],
    rtl: bool | None = None,
) -> SafeString:
    """Horizontal bars: ``(label, value or None when suppressed, value shown)``; mirrored when
    ``rtl`` (by default, when the active language is written right to left)."""
    if rtl is None:
        rtl = get_language_bidi()
    values = [v for _, v, _ in bars if v is not None]
    top = max(values) if values else 0
    height = GAP + len(bars) * (BAR_HEIGHT + GAP)
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    cid = escape(chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" font-size="15" font-family="sans-serif" '
        f'direction="ltr" '
        f'aria-labelledby="{cid}-title {cid}-desc">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
    ]
    for k, (label, value, shown) in enumerate(bars):
        y = GAP + k * (BAR_HEIGHT + GAP)
        length = 0 if not value or not top else max(2, round(BAR_WIDTH * value / top))
        if rtl:
            label_x, label_anchor = width - LABEL_WIDTH + 8, "start"
            bar_x = width - LABEL_WIDTH - length
            value_x, value_anchor = bar_x - 6, ' text-anchor="end"'
        else:
            label_x, label_anchor = LABEL_WIDTH - 8, "end"
            bar_x = LABEL_WIDTH
            value_x, value_anchor = LABEL_WIDTH + length + 6, ""
        parts.append(
            f'<text x="{label_x}" y="{y + BAR_HEIGHT * 0.7:.0f}" '
            f'text-anchor="{label_anchor}" fill="#1b1b1b" class="chart-label">{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{bar_x}" y="{y}" width="{length}" height="{BAR_HEIGHT}" '
            f'fill="#005ea2" class="chart-bar"></rect>'
        )
        parts.append(
            f'<text x="{value_x}" y="{y + BAR_HEIGHT * 0.7:.0f}"{value_anchor} '
            f'fill="#1b1b1b" class="chart-value">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
