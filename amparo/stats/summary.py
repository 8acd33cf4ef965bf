"""Order statistics on already-aggregated data (value -> count histograms)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping


def quantile_from_histogram(histogram: Mapping[int, int], q: float) -> int | None:
    """The nearest-rank ``q`` quantile of values given as ``{value: count}``.

    Works on a GROUP BY result (one row per distinct value), so the caller never loads
    one row per case. Returns ``None`` for an empty histogram.
    """
    if not 0 < q <= 1:
        raise ValueError("q must be in (0, 1]")
    total = sum(c for c in histogram.values() if c > 0)
    if total == 0:
        return None
    rank = max(1, math.ceil(q * total))
    seen = 0
    for value in sorted(histogram):
        seen += max(0, histogram[value])
        if seen >= rank:
            return value
    raise AssertionError("unreachable")  # pragma: no cover


def quantile(values: Iterable[int], q: float) -> int | None:
    """Nearest-rank quantile of raw values (reference implementation for tests and benches)."""
    hist: dict[int, int] = {}
    for v in values:
        hist[v] = hist.get(v, 0) + 1
    return quantile_from_histogram(hist, q)


def rate(numerator: int, denominator: int) -> float | None:
    """A proportion in [0, 1], or ``None`` when nothing was counted."""
    if denominator <= 0:
        return None
    return numerator / denominator
