"""Optional differential privacy for public counts: the two-sided geometric mechanism, exactly.

For a count query whose value one person changes by at most 1, adding ``Z`` with
``P(Z = z) = (1 - a) / (1 + a) * a**|z|``, ``a = exp(-epsilon)``, gives
``epsilon``-differential privacy (Ghosh, Roughgarden and Sundararajan 2009, the discrete
analogue of the Laplace mechanism): shifting the count by one multiplies the probability of any
output by at most ``exp(epsilon)``. Clamping the result at zero is post-processing and keeps the
guarantee.

The guarantee is a statement about that exact distribution, so the sampler here draws it
exactly: no floating point anywhere, ``epsilon`` is a rational number (:func:`as_fraction`), and
every random choice is ``randbelow(n) < m`` for integers ``m`` and ``n`` on the operating
system's randomness (:func:`secrets.randbelow`). Floating-point samplers (``log`` of a uniform
double) leave gaps and rounding in the tails that an attacker can exploit (Mironov 2012); the
Mersenne Twister is predictable. What remains inexact is only what the operating system's
random source is.

OpenDP offers the same mechanism with an exact sampler; it is not installed here, and the
sampler below is short enough to read against its proof.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Protocol

#: A source of uniform integers in ``[0, n)``.
RandBelow = Callable[[int], int]


class _Rng(Protocol):
    def randrange(self, stop: int, /) -> int: ...


def as_fraction(epsilon: Fraction | int | float | str) -> Fraction:
    """``epsilon`` as an exact rational: ``"1/2"``, ``"0.1"``, ``1`` or ``0.1`` (a float is read
    through its shortest decimal form, so ``0.1`` is exactly 1/10, not the nearest double)."""
    value = Fraction(str(epsilon)) if isinstance(epsilon, float) else Fraction(epsilon)
    if value <= 0:
        raise ValueError("epsilon must be positive")
    return value


def _source(rng: _Rng | None) -> RandBelow:
    """The uniform integer source: the operating system's, or a seeded one a test passes for
    reproducible draws (still exact integers: only the source differs)."""
    return secrets.randbelow if rng is None else rng.randrange


def bernoulli(p: Fraction, randbelow: RandBelow) -> bool:
    """True with probability exactly ``p`` (``0 <= p <= 1``): a uniform integer below the
    denominator is below the numerator in exactly ``numerator`` of ``denominator`` cases."""
    return randbelow(p.denominator) < p.numerator


def bernoulli_exp_minus(gamma: Fraction, randbelow: RandBelow) -> bool:
    """True with probability exactly ``exp(-gamma)`` for rational ``gamma >= 0``.

    Canonne, Kamath and Steinke (2020), "The Discrete Gaussian for Differential Privacy",
    Algorithm 1. For ``0 <= gamma <= 1``: draw ``A_k ~ Bernoulli(gamma / k)`` for
    ``k = 1, 2, ...`` until the first ``A_k = 0`` and call that index ``K``. Then
    ``P(K > k) = P(A_1 = ... = A_k = 1) = gamma**k / k!``, so
    ``P(K = k) = gamma**(k-1) / (k-1)! - gamma**k / k!`` and
    ``P(K odd) = sum over odd k of (gamma**(k-1)/(k-1)! - gamma**k/k!)
    = sum over j >= 0 of (-gamma)**j / j! = exp(-gamma)``.
    ``K`` is finite with probability one (``P(K > k) -> 0``) and ``E[K] <= e``.
    For ``gamma > 1``: ``exp(-gamma) = exp(-1)**floor(gamma) * exp(-(gamma - floor(gamma)))``,
    a product of independent trials, each of the first kind.
    """
    whole, rest = divmod(gamma, 1)
    return all(_exp_minus_at_most_one(Fraction(1), randbelow) for _ in range(int(whole))) and (
        _exp_minus_at_most_one(rest, randbelow)
    )


def _exp_minus_at_most_one(gamma: Fraction, randbelow: RandBelow) -> bool:
    """``Bernoulli(exp(-gamma))`` for ``0 <= gamma <= 1``: the first case of
    :func:`bernoulli_exp_minus` (every ``gamma / k`` is then a probability)."""
    k = 1
    while bernoulli(gamma / k, randbelow):
        k += 1
    return k % 2 == 1


def geometric(epsilon: Fraction, randbelow: RandBelow) -> int:
    """Successes before the first failure of ``Bernoulli(exp(-epsilon))`` trials: exactly
    ``P(G = k) = (1 - a) * a**k`` with ``a = exp(-epsilon)`` (independent trials)."""
    k = 0
    while bernoulli_exp_minus(epsilon, randbelow):
        k += 1
    return k


def geometric_noise(epsilon: Fraction | int | float | str, rng: _Rng | None = None) -> int:
    """One draw of two-sided geometric noise: ``Z = G1 - G2`` for independent geometrics.

    ``P(Z = z) = sum over k >= max(0, -z) of (1-a)**2 * a**(k+z) * a**k
    = (1-a)**2 * a**|z| / (1 - a**2) = (1-a)/(1+a) * a**|z|``, the two-sided geometric law of
    the module docstring, exactly (each geometric is exact, see :func:`geometric`).
    """
    eps = as_fraction(epsilon)
    randbelow = _source(rng)
    return geometric(eps, randbelow) - geometric(eps, randbelow)


def noise_pmf(z: int, epsilon: Fraction | int | float | str) -> float:
    """``P(Z = z)`` of :func:`geometric_noise` (a float: for comparing draws with the law)."""
    a = math.exp(-float(as_fraction(epsilon)))
    return (1 - a) / (1 + a) * a ** abs(z)


def noisy_count(count: int, epsilon: Fraction | int | float | str, rng: _Rng | None = None) -> int:
    """``count`` plus geometric noise, never below zero."""
    return max(0, count + geometric_noise(epsilon, rng))


def noisy_counts(
    counts: Sequence[int], epsilon: Fraction | int | float | str, rng: _Rng | None = None
) -> list[int]:
    """Each count noised independently (disjoint categories: parallel composition)."""
    return [noisy_count(c, epsilon, rng) for c in counts]
