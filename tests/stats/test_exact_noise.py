"""The exact integer sampler behind the public page's noise.

The statistical tests draw a fixed number of samples from the operating system's randomness
and compare them with the exact law; each accepts unless its p-value is below ``ALPHA``, so a
correct sampler fails one of them with probability at most ``ALPHA`` (one in a million) per
test, while a sampler off by a few percent in any bin fails almost surely at these sizes.
"""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest
from scipy import stats

from amparo.stats import privacy
from amparo.stats.privacy import (
    as_fraction,
    bernoulli,
    bernoulli_exp_minus,
    geometric_noise,
    noise_pmf,
)

ALPHA = 1e-6
DRAWS = 20_000


def _tail(t: int, eps: Fraction) -> float:
    """``P(Z >= t)`` for ``t >= 1`` (the same as ``P(Z <= -t)``): ``a**t / (1 + a)``."""
    a = math.exp(-float(eps))
    return a**t / (1 + a)


@pytest.mark.parametrize("eps", ["1", "1/3"])
def test_the_noise_follows_the_two_sided_geometric_law(eps: str) -> None:
    e = as_fraction(eps)
    width = 4 if e == 1 else 8  # bins where the expected count is large enough for chi-square
    draws = [geometric_noise(e) for _ in range(DRAWS)]
    observed = [sum(d <= -(width + 1) for d in draws)]
    observed += [draws.count(z) for z in range(-width, width + 1)]
    observed.append(sum(d >= width + 1 for d in draws))
    probs = [_tail(width + 1, e)]
    probs += [noise_pmf(z, e) for z in range(-width, width + 1)]
    probs.append(_tail(width + 1, e))
    assert math.isclose(sum(probs), 1.0, rel_tol=1e-12)  # the bins cover every integer
    expected = [p * DRAWS for p in probs]
    assert min(expected) > 20
    assert stats.chisquare(observed, expected).pvalue > ALPHA


@pytest.mark.parametrize("gamma", [Fraction(1, 3), Fraction(1), Fraction(5, 2)])
def test_bernoulli_of_exp_minus_gamma_has_that_probability(gamma: Fraction) -> None:
    hits = sum(bernoulli_exp_minus(gamma, privacy.secrets.randbelow) for _ in range(DRAWS))
    assert stats.binomtest(hits, DRAWS, math.exp(-float(gamma))).pvalue > ALPHA


def test_a_rational_bernoulli_is_exact_over_every_outcome() -> None:
    """Over the source's every possible value, exactly ``numerator`` of ``denominator`` say
    yes: the probability is the fraction itself, not a float near it."""
    p = Fraction(2, 7)
    assert sum(bernoulli(p, lambda n, v=v: v) for v in range(7)) == 2


def test_without_a_seeded_source_it_draws_from_the_operating_system(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[int] = []
    seeded = random.Random(5)

    def randbelow(n: int) -> int:
        asked.append(n)
        return seeded.randrange(n)

    monkeypatch.setattr(privacy.secrets, "randbelow", randbelow)
    monkeypatch.setattr(random, "random", lambda: pytest.fail("floating-point draw"))
    draws = [geometric_noise("1/2") for _ in range(50)]
    assert len(asked) >= 100  # at least one trial per geometric, from the OS's source
    assert all(n % 2 == 0 for n in asked)  # each a Bernoulli(1 / 2k): exact integer trials
    replay = random.Random(5)  # the same integers in the same order give the same noise
    assert draws == [geometric_noise("1/2", replay) for _ in range(50)]


def test_epsilon_is_read_exactly() -> None:
    assert as_fraction(0.1) == Fraction(1, 10)
    assert as_fraction("1/3") == Fraction(1, 3)
    assert as_fraction(2) == 2
    for bad in (0, "-1", -0.5):
        with pytest.raises(ValueError):
            as_fraction(bad)
