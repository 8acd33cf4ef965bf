"""`amparo bench deadlines [--cases N] [--seed S] [--naive-cases M] [--source S]`.

Recomputes every applicable deadline of N cases (100,000 by default) and prints ``cases``,
``seconds`` and ``per_case_us``, beside two baselines run in the same process on the same cases
(the ``compares`` key says each ratio in words; below 1 means ours is faster):

- ``ratio_vs_naive_cached``, the fair one: the same engine with a naive calendar that builds
  each year's holiday table once and keeps it, then steps a day at a time; run on every case;
- ``ratio_vs_naive``: the naive calendar that rebuilds the holiday table on every business-day
  question and remembers nothing; slow, so run on the first M cases (2,000 by default) and its
  time per case scaled. A straw man, printed for the record.

``--source database`` reads the cases' triggers (hearings, decisions, clock-starting events)
from the database, as ``amparo seed --cases N`` made them, in four bulk queries, and recomputes
their deadlines (``services.compute_many``: each distinct rule, trigger and options is computed
once, as a bulk recomputation in production does): ``seconds`` then includes reading
(``load_seconds`` says how much); the baselines compute every deadline, without sharing.
``--source synthetic`` generates the cases in memory from a fixed seed: each has a hearing (with
custody and hearing type), a last arrival, and, for some, an immigration judge's decision
(possibly in absentia, possibly granting voluntary departure), a Board decision, a briefing
notice, a filing to answer, a move, a bond order, a fear finding to review, a U visa
certification and a court of appeals judgment; children have their 21st birthday's SIJS
deadline. ``auto`` (the default) uses the database when it holds at least N cases, synthetic
cases otherwise.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import holidays

from amparo.deadlines.engine import BusinessCalendar, Deadline, compute
from amparo.deadlines.rules import Custody, Hearing
from bench.registry import register


@dataclass(frozen=True, slots=True)
class SyntheticCase:
    """The dates that start a case's clocks (no personal data: dates and flags only)."""

    hearing: date
    custody: Custody
    hearing_type: Hearing
    last_arrival: date
    ij_decision: date | None
    in_absentia: bool
    bia_decision: date | None
    briefing_notice: date | None
    filing_received: date | None
    moved: date | None
    birth: date
    vd_days: int | None  # voluntary departure granted at the conclusion (with the IJ decision)
    bond_order: date | None
    fear_finding: date | None
    u_certified: date | None
    court_judgment: date | None


def synthetic_cases(count: int, seed: int) -> list[SyntheticCase]:
    rng = random.Random(seed)
    base = date(2024, 1, 1)

    def day(span: int, start: date = base) -> date:
        return start + timedelta(days=rng.randrange(span))

    def maybe(probability: float, span: int, start: date = base) -> date | None:
        return day(span, start) if rng.random() < probability else None

    cases = []
    for _ in range(count):
        hearing = day(5 * 366)
        cases.append(
            SyntheticCase(
                hearing=hearing,
                custody=Custody.DETAINED if rng.random() < 0.3 else Custody.NON_DETAINED,
                hearing_type=Hearing.INDIVIDUAL if rng.random() < 0.5 else Hearing.MASTER,
                last_arrival=day(12 * 366, date(2014, 1, 1)),
                ij_decision=maybe(0.5, 5 * 366),
                in_absentia=rng.random() < 0.1,
                bia_decision=maybe(0.25, 5 * 366),
                briefing_notice=maybe(0.25, 5 * 366),
                filing_received=maybe(0.3, 5 * 366),
                moved=maybe(0.2, 5 * 366),
                birth=day(40 * 366, date(1970, 1, 1)),
                vd_days=rng.choice((30, 45, 60)) if rng.random() < 0.1 else None,
                bond_order=maybe(0.2, 5 * 366),
                fear_finding=maybe(0.1, 5 * 366),
                u_certified=maybe(0.05, 5 * 366),
                court_judgment=maybe(0.05, 5 * 366),
            )
        )
    return cases


def case_deadlines(case: SyntheticCase, calendar: BusinessCalendar | None = None) -> list[Deadline]:
    """Compute every deadline that applies to ``case``."""
    results = [
        compute(
            "prehearing-filing",
            case.hearing,
            custody=case.custody,
            hearing=case.hearing_type,
            calendar=calendar,
        ),
        compute("asylum-one-year", case.last_arrival, calendar=calendar),
    ]
    if case.ij_decision is not None:
        for rule_id in ("bia-appeal", "ij-reconsider", "ij-reopen"):
            results.append(compute(rule_id, case.ij_decision, calendar=calendar))
        if case.in_absentia:
            results.append(compute("in-absentia-rescind", case.ij_decision, calendar=calendar))
    if case.bia_decision is not None:
        for rule_id in ("bia-reconsider", "bia-reopen", "petition-for-review"):
            results.append(compute(rule_id, case.bia_decision, calendar=calendar))
    if case.briefing_notice is not None:
        for rule_id in ("bia-brief-appellant", "bia-brief-appellee"):
            results.append(
                compute(rule_id, case.briefing_notice, custody=case.custody, calendar=calendar)
            )
    if case.filing_received is not None:
        results.append(
            compute(
                "filing-response", case.filing_received, custody=case.custody, calendar=calendar
            )
        )
    if case.moved is not None:
        for rule_id in ("change-of-address", "ar-11"):
            results.append(compute(rule_id, case.moved, calendar=calendar))
    if case.ij_decision is not None and case.vd_days is not None:
        results.append(compute("vd-bond", case.ij_decision, calendar=calendar))
        results.append(
            compute(
                "vd-depart",
                case.ij_decision,
                days=case.vd_days,
                vd_stage="conclusion",
                calendar=calendar,
            )
        )
        results.append(compute("vd-bond-proof-bia", case.ij_decision, calendar=calendar))
    if case.bond_order is not None:
        for rule_id in ("bond-stay-notice", "bond-stay-appeal"):
            results.append(compute(rule_id, case.bond_order, calendar=calendar))
    if case.fear_finding is not None:
        for rule_id in ("credible-fear-review", "reasonable-fear-review"):
            results.append(compute(rule_id, case.fear_finding, calendar=calendar))
    if case.u_certified is not None:
        results.append(compute("u-cert-expiry", case.u_certified, calendar=calendar))
    if case.court_judgment is not None:
        for rule_id in ("pfr-rehearing", "cert-petition"):
            results.append(compute(rule_id, case.court_judgment, calendar=calendar))
    if case.birth.year >= 2005:
        results.append(compute("sijs-age-out", case.birth, calendar=calendar))
    return results


class NaiveCalendar(BusinessCalendar):
    """The baseline: a fresh holiday calendar for every question, nothing remembered."""

    __slots__ = ()

    def holidays(self, year: int) -> frozenset[date]:
        return frozenset(holidays.country_holidays("US", years=year))

    def next_business_day(self, day: date) -> date:
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day

    def previous_business_day(self, day: date) -> date:
        while not self.is_business_day(day):
            day -= timedelta(days=1)
        return day


class CachedNaiveCalendar(NaiveCalendar):
    """The fair baseline: the naive calendar with one holiday table per year, built once (what
    anyone would write first); business days still found by stepping a day at a time."""

    __slots__ = ("_years",)

    def __init__(self) -> None:
        super().__init__()
        self._years: dict[int, frozenset[date]] = {}

    def holidays(self, year: int) -> frozenset[date]:
        table = self._years.get(year)
        if table is None:
            table = self._years[year] = super().holidays(year)
        return table


COMPARES = {
    "ratio_vs_naive_cached": "our time per case ÷ a naive calendar that keeps one holiday table "
    "per year (every case; below 1: ours is faster)",
    "ratio_vs_naive": "our time per case ÷ a naive calendar that rebuilds the holiday table on "
    "every business-day question (the first --naive-cases cases; a straw man, shown for the record)",
}


def _baselines(
    deadlines_of: Callable[[Any, BusinessCalendar], object],
    cases: Sequence[Any],
    naive_count: int,
    per_case: float,
) -> dict[str, Any]:
    """Both naive calendars on the same cases, timed per case, beside ``per_case`` (ours)."""
    cached = CachedNaiveCalendar()
    started = time.perf_counter()
    for case in cases:
        deadlines_of(case, cached)
    cached_per_case = (time.perf_counter() - started) / max(1, len(cases))
    sample = cases[: max(1, min(naive_count, len(cases)))]
    naive = NaiveCalendar()
    started = time.perf_counter()
    for case in sample:
        deadlines_of(case, naive)
    naive_per_case = (time.perf_counter() - started) / max(1, len(sample))
    return {
        "naive_cached_cases": len(cases),
        "naive_cached_per_case_us": round(cached_per_case * 1e6, 2),
        "ratio_vs_naive_cached": round(per_case / cached_per_case, 5) if cached_per_case else None,
        "naive_cases": len(sample),
        "naive_per_case_us": round(naive_per_case * 1e6, 2),
        "ratio_vs_naive": round(per_case / naive_per_case, 5) if naive_per_case else None,
        "compares": COMPARES,
    }


@register(
    "deadlines",
    "every deadline of N cases: the engine vs a naive calendar with one holiday table per year",
)
def bench_deadlines(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="amparo bench deadlines")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20260604)
    parser.add_argument("--naive-cases", type=int, default=2_000)
    parser.add_argument("--source", choices=("auto", "database", "synthetic"), default="auto")
    args = parser.parse_args(argv)

    if args.source == "database" or (args.source == "auto" and _database_cases() >= args.cases):
        return _bench_database(args.cases, args.naive_cases)

    cases = synthetic_cases(args.cases, args.seed)

    started = time.perf_counter()
    deadlines = sum(len(case_deadlines(case)) for case in cases)
    seconds = time.perf_counter() - started

    per_case = seconds / len(cases)
    return {
        "cases": len(cases),
        "deadlines": deadlines,
        "seconds": round(seconds, 3),
        "per_case_us": round(per_case * 1e6, 2),
        **_baselines(case_deadlines, cases, args.naive_cases, per_case),
        "source": "synthetic",
    }


def _database_cases() -> int:
    """How many cases the database holds; 0 when it cannot be read (not migrated, no access)."""
    from django.db import DatabaseError

    from amparo.cases.models import Case

    try:
        return Case.objects.count()
    except (DatabaseError, RuntimeError):  # RuntimeError: database access blocked (test runner)
        return 0


def _bench_database(count: int, naive_count: int) -> dict[str, Any]:
    """Recompute the deadlines of the first ``count`` cases in the database (read included)."""
    from amparo.deadlines.services import (
        compute_many,
        compute_planned,
        load_triggers,
        plan_deadlines,
    )

    started = time.perf_counter()
    triggers = load_triggers(limit=count)
    loaded = time.perf_counter()
    deadlines = sum(len(results) for results in compute_many(triggers))
    seconds = time.perf_counter() - started

    def deadlines_of(case: Any, calendar: BusinessCalendar) -> list[Deadline]:
        return [compute_planned(item, calendar=calendar) for item in plan_deadlines(case)]

    per_case = seconds / max(1, len(triggers))
    return {
        "cases": len(triggers),
        "deadlines": deadlines,
        "load_seconds": round(loaded - started, 3),
        "seconds": round(seconds, 3),
        "per_case_us": round(per_case * 1e6, 2),
        **_baselines(deadlines_of, triggers, naive_count, per_case),
        "source": "database",
    }
