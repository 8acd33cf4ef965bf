"""Synthetic batches for benchmarks and tests (no real people: ids, codes and counts only).

The mixes imitate a large city fund: most requests in Spanish, then English and Mayan languages
(K'iche', Mam, Q'anjob'al), Portuguese, Haitian Creole, French, Arabic, Russian, Mandarin; a
quarter detained (at the local facility); every request scored by the production triage and
its weights; more demand than capacity.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from amparo.eligibility.triage import DEFAULT_WEIGHTS, Facts, prioritize
from amparo.matching.model import Attorney, Request

LANGUAGES: tuple[tuple[str, float], ...] = (
    ("es", 0.58),
    ("en", 0.10),
    ("quc", 0.07),  # K'iche'
    ("mam", 0.06),
    ("pt", 0.05),
    ("ht", 0.04),  # Haitian Creole
    ("fr", 0.03),
    ("ar", 0.03),
    ("ru", 0.02),
    ("kjb", 0.01),  # Q'anjob'al
    ("zh", 0.01),
)
DETAINED_AREAS: tuple[tuple[str, float], ...] = (
    ("facility-aurora", 0.85),
    ("facility-other", 0.15),
)
DETAINED_PRACTICE: tuple[tuple[str, float], ...] = (("removal-detained", 0.8), ("bond", 0.2))
COUNTIES: tuple[tuple[str, float], ...] = (
    ("denver", 0.35),
    ("adams", 0.17),
    ("arapahoe", 0.17),
    ("jefferson", 0.10),
    ("boulder", 0.08),
    ("douglas", 0.05),
    ("weld", 0.05),
    ("el-paso", 0.03),
)
PRACTICE: tuple[tuple[str, float], ...] = (
    ("removal", 0.45),
    ("asylum", 0.20),
    ("daca-tps", 0.15),
    ("sijs", 0.10),
    ("u-visa-vawa", 0.10),
)


@dataclass(frozen=True, slots=True)
class Instance:
    requests: tuple[Request, ...]
    attorneys: tuple[Attorney, ...]


class _Picker:
    def __init__(self, rng: random.Random, table: Sequence[tuple[str, float]]) -> None:
        self.rng = rng
        self.values = [v for v, _ in table]
        self.cum = list(accumulate(w for _, w in table))

    def __call__(self) -> str:
        return self.rng.choices(self.values, cum_weights=self.cum)[0]

    def some(self, k: int) -> frozenset[str]:
        chosen: set[str] = set()
        while len(chosen) < min(k, len(self.values)):
            chosen.add(self())
        return frozenset(chosen)


#: Hearing dates count from this day, fixed so that a seed gives the same batch on any day.
TODAY = date(2026, 1, 5)


def triage_priority(*, detained: bool, days_to_hearing: int | None, vulnerable: bool) -> int:
    """The production triage (``amparo.eligibility.triage.prioritize``) with the production
    weights (``DEFAULT_WEIGHTS``): detained, then the nearest hearing, then vulnerable people."""
    hearing = None if days_to_hearing is None else TODAY + timedelta(days=days_to_hearing)
    facts = Facts(detained=detained, next_hearing=hearing, vulnerable=vulnerable)
    return prioritize(facts, today=TODAY, weights=DEFAULT_WEIGHTS).score


def make_requests(rng: random.Random, n: int, *, hours: float = 720.0) -> list[Request]:
    language = _Picker(rng, LANGUAGES)
    facility = _Picker(rng, DETAINED_AREAS)
    detained_practice = _Picker(rng, DETAINED_PRACTICE)
    county = _Picker(rng, COUNTIES)
    practice = _Picker(rng, PRACTICE)
    requests: list[Request] = []
    for i in range(n):
        detained = rng.random() < 0.25
        has_hearing = detained or rng.random() < 0.6
        days = rng.randint(0, 30 if detained else 365) if has_hearing else None
        requests.append(
            Request(
                id=i + 1,
                priority=triage_priority(
                    detained=detained, days_to_hearing=days, vulnerable=rng.random() < 0.15
                ),
                language=language(),
                practice_area=detained_practice() if detained else practice(),
                area=facility() if detained else county(),
                detained=detained,
                arrival=round(rng.uniform(0.0, hours), 3),
            )
        )
    return requests


def make_attorneys(
    rng: random.Random, n: int, *, organizations: int | None = None
) -> list[Attorney]:
    orgs = organizations or max(1, n // 25)
    minority = _Picker(rng, LANGUAGES[2:])
    county = _Picker(rng, COUNTIES)
    practice = _Picker(rng, PRACTICE)
    # Each organization: detained work only, mixed, or community (non-detained) work; maybe
    # interpreters; a home county.
    profiles: list[tuple[str, frozenset[str], str]] = []
    for _ in range(orgs):
        kind = rng.choices(["detained", "mixed", "community"], weights=[0.25, 0.2, 0.55])[0]
        interpreters = minority.some(rng.randint(1, 4)) if rng.random() < 0.4 else frozenset()
        profiles.append((kind, interpreters, county()))
    attorneys: list[Attorney] = []
    for i in range(n):
        org = rng.randrange(orgs)
        kind, interpreters, home = profiles[org]
        languages = {"en"}
        if rng.random() < 0.7:
            languages.add("es")
        if rng.random() < 0.12:
            languages.add(minority())
        facilities = {"facility-aurora"} | ({"facility-other"} if rng.random() < 0.3 else set())
        counties = {home} | county.some(rng.randint(0, 3))
        detained_work = {"removal-detained", "bond"}
        if kind == "detained":
            areas, practice_areas = frozenset(facilities), frozenset(detained_work)
        elif kind == "mixed" and rng.random() < 0.6:
            areas = frozenset(facilities | counties)
            practice_areas = frozenset(detained_work) | practice.some(rng.randint(1, 2))
        else:
            areas, practice_areas = frozenset(counties), practice.some(rng.randint(1, 3))
        attorneys.append(
            Attorney(
                id=i + 1,
                organization=org + 1,
                capacity=rng.randint(5, 40),
                languages=frozenset(languages),
                practice_areas=practice_areas,
                areas=areas,
                interpreter_languages=interpreters - languages,
            )
        )
    return attorneys


def make_instance(requests: int, attorneys: int, *, seed: int = 0) -> Instance:
    rng = random.Random(seed)
    return Instance(tuple(make_requests(rng, requests)), tuple(make_attorneys(rng, attorneys)))
