from __future__ import annotations

import random
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amparo.stats.privacy import geometric_noise, noisy_count, noisy_counts
from amparo.stats.summary import quantile, quantile_from_histogram, rate


def test_median_and_p90_by_hand() -> None:
    days = [1, 2, 2, 3, 5, 8, 13, 21, 34, 55]
    assert quantile(days, 0.5) == 5
    assert quantile(days, 0.9) == 34
    assert quantile_from_histogram({2: 3, 10: 1}, 0.5) == 2
    assert quantile([], 0.5) is None


def test_quantile_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        quantile([1], 0)


@given(st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=60))
def test_histogram_quantile_matches_the_raw_values(values: list[int]) -> None:
    hist: dict[int, int] = {}
    for v in values:
        hist[v] = hist.get(v, 0) + 1
    assert quantile_from_histogram(hist, 0.5) == quantile(values, 0.5)
    assert quantile(values, 0.5) in values
    assert quantile(values, 1.0) == max(values)


def test_rate() -> None:
    assert rate(1, 4) == 0.25
    assert rate(0, 0) is None


def test_geometric_noise_is_reproducible_with_a_seed_and_centred() -> None:
    a = [geometric_noise(0.5, random.Random(7)) for _ in range(3)]
    b = [geometric_noise(0.5, random.Random(7)) for _ in range(3)]
    assert a == b
    rng = random.Random(1)
    draws = [geometric_noise(1.0, rng) for _ in range(20000)]
    assert abs(statistics.fmean(draws)) < 0.05
    # variance of the two-sided geometric: 2 alpha / (1 - alpha)^2 with alpha = e^-1
    alpha = 2.718281828459045**-1
    assert statistics.pvariance(draws) == pytest.approx(2 * alpha / (1 - alpha) ** 2, rel=0.08)
    assert any(d != 0 for d in draws)


def test_noisy_counts_never_negative() -> None:
    rng = random.Random(3)
    assert all(v >= 0 for v in noisy_counts([0, 1, 2, 500], 0.1, rng))
    assert noisy_count(1000, 50.0, random.Random(2)) == 1000
    with pytest.raises(ValueError):
        geometric_noise(0)
