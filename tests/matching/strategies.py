"""Hypothesis strategies: small batches over a few languages, practice areas and areas, so that
compatibility is neither always nor never there."""

from __future__ import annotations

from hypothesis import strategies as st

from amparo.matching.model import Attorney, Request

LANGUAGES = ["es", "en", "mam"]
PRACTICE = ["removal", "asylum"]
AREAS = ["denver", "facility-aurora"]


@st.composite
def requests(draw: st.DrawFn, max_size: int = 7, max_priority: int = 6) -> list[Request]:
    n = draw(st.integers(0, max_size))
    return [
        Request(
            id=i + 1,
            priority=draw(st.integers(0, max_priority)),
            language=draw(st.sampled_from(LANGUAGES)),
            practice_area=draw(st.sampled_from(PRACTICE)),
            area=draw(st.sampled_from(AREAS)),
            detained=draw(st.booleans()),
            arrival=float(draw(st.integers(0, 5))),
        )
        for i in range(n)
    ]


def _subset(draw: st.DrawFn, values: list[str], min_size: int = 1) -> frozenset[str]:
    return frozenset(draw(st.lists(st.sampled_from(values), min_size=min_size, unique=True)))


@st.composite
def attorneys(draw: st.DrawFn, max_size: int = 3, max_capacity: int = 3) -> list[Attorney]:
    n = draw(st.integers(0, max_size))
    result = []
    for j in range(n):
        languages = _subset(draw, LANGUAGES)
        result.append(
            Attorney(
                id=100 + j,
                organization=draw(st.integers(1, 2)),
                capacity=draw(st.integers(0, max_capacity)),
                languages=languages,
                practice_areas=_subset(draw, PRACTICE),
                areas=_subset(draw, AREAS),
                interpreter_languages=_subset(draw, LANGUAGES, min_size=0) - languages,
            )
        )
    return result
