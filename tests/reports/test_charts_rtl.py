"""The impact charts mirror on a right-to-left page: labels on the right, bars to the left."""

from __future__ import annotations

import re

from django.utils import translation

from amparo.reports.charts import BAR_WIDTH, LABEL_WIDTH, VALUE_WIDTH, bar_chart

BARS = [("طلبات", 40, "40"), ("مقبولة", 10, "10"), ("مخفي", None, "مخفي")]
WIDTH = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH


def _numbers(svg: str, tag: str, attribute: str) -> list[float]:
    return [float(v) for v in re.findall(rf'<{tag} {attribute}="([\d.-]+)"', svg)]


def test_left_to_right_labels_left_of_bars_growing_right() -> None:
    svg = str(bar_chart("c", "t", "d", BARS, rtl=False))
    assert 'direction="ltr"' in svg
    assert set(_numbers(svg, "rect", "x")) == {LABEL_WIDTH}
    assert 'text-anchor="end" fill="#1b1b1b" class="chart-label"' in svg


def test_right_to_left_labels_right_of_bars_growing_left() -> None:
    svg = str(bar_chart("c", "t", "d", BARS, rtl=True))
    # Fixed: an inline SVG would otherwise inherit the page's rtl and flip every text-anchor.
    assert 'direction="ltr"' in svg
    rects = re.findall(r'<rect x="([\d.-]+)" y="\d+" width="(\d+)"', svg)
    for x, width in rects:
        assert float(x) + int(width) == WIDTH - LABEL_WIDTH  # every bar ends at the labels
    assert [int(w) for _x, w in rects] == [BAR_WIDTH, BAR_WIDTH // 4, 0]
    assert 'text-anchor="start" fill="#1b1b1b" class="chart-label"' in svg
    assert all(x >= WIDTH - LABEL_WIDTH for x in _numbers(svg, "text", "x")[::2])


def test_the_active_language_decides() -> None:
    with translation.override("ar"):
        arabic = str(bar_chart("c", "t", "d", BARS))
    with translation.override("en"):
        english = str(bar_chart("c", "t", "d", BARS))
    assert arabic == str(bar_chart("c", "t", "d", BARS, rtl=True))
    assert english == str(bar_chart("c", "t", "d", BARS, rtl=False))
