"""Optional differential privacy for public counts: the two-sided geometric mechanism.

For a count query (sensitivity 1) adding ``Z`` with ``P(Z = k) ∝ exp(-epsilon * |k|)`` gives
``epsilon``-differential privacy (Ghosh, Roughgarden and Sundararajan 2009, the discrete
analogue of the Laplace mechanism). The noisy value is clamped at zero, which is
post-processing and keeps the guarantee. Production draws from the operating system's
randomness; tests pass a seeded ``random.Random`` so their expectations are reproducible.
OpenDP offers the same mechanism; this small version avoids a compiled dependency.
"""

from __future__ import annotations

import math
import random
import secrets
from collections.abc import Sequence


def _geometric(epsilon: float, rng: random.Random) -> int:
    """Failures before the first success, failure probability ``exp(-epsilon)``."""
    u = 1.0 - rng.random()  # in (0, 1]
    return math.floor(math.log(u) / -epsilon)


def geometric_noise(epsilon: float, rng: random.Random | None = None) -> int:
    """One draw of two-sided geometric noise with parameter ``exp(-epsilon)``."""
    if epsilon <= 0:
        raise ValueError("epsilon must be positive")
    gen = rng if rng is not None else secrets.SystemRandom()
    return _geometric(epsilon, gen) - _geometric(epsilon, gen)


def noisy_count(count: int, epsilon: float, rng: random.Random | None = None) -> int:
    """``count`` plus geometric noise, never below zero."""
    return max(0, count + geometric_noise(epsilon, rng))


def noisy_counts(
    counts: Sequence[int], epsilon: float, rng: random.Random | None = None
) -> list[int]:
    """Each count noised independently (disjoint categories: parallel composition)."""
    gen = rng if rng is not None else secrets.SystemRandom()
    return [noisy_count(c, epsilon, gen) for c in counts]
