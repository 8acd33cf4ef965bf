"""A raid weekend, simulated: how long do detained people wait for a lawyer to say yes?

A discrete-event simulation (pure Python, deterministic for a seed) of a burst of help requests
arriving over a weekend, routed to legal providers with a fixed number of intake seats each. An
accepted referral holds a seat for the intake work (a jail visit, a first interview), then frees
it. A provider sometimes does not answer a referral at all (probability ``no_answer``); nobody
knows until something happens:

- **Amparo**: the pending queue is triaged (most urgent first, then earliest); a referral not
  answered within its SLA (24 h for detained people, 72 h otherwise) is withdrawn and the request
  goes back to the queue for another provider.
- **FCFS**: first come, first served, no SLA: an unanswered referral waits until the provider
  eventually answers (after a long random delay) and then needs one of that provider's seats.

Two ablations separate what each half does: **FCFS + reroute** (arrival order with Amparo's SLA
reroute) and **triage without reroute** (Amparo's order, then waiting for late answers like
FCFS). Triage mostly moves the median; the reroute mostly cuts the tail.

Every policy sends a referral to the provider with the most free seats, and all see the same
random draws for the same request and attempt (common random numbers), so the difference is the
policy alone. Only a referral that is answered takes a seat; answering is immediate.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import deque
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from enum import IntEnum

from bench.synthetic import triage_priority

AMPARO = "amparo"
FCFS = "fcfs"
FCFS_REROUTE = "fcfs_reroute"
TRIAGE_NO_REROUTE = "triage_no_reroute"
#: policy -> (the queue is triaged, an unanswered referral is rerouted at its SLA)
POLICIES: dict[str, tuple[bool, bool]] = {
    AMPARO: (True, True),
    FCFS: (False, False),
    FCFS_REROUTE: (False, True),
    TRIAGE_NO_REROUTE: (True, False),
}


@dataclass(frozen=True, slots=True)
class SurgeParams:
    requests: int = 2000
    hours: float = 48.0
    detained_share: float = 0.25
    #: Raids: this share of arrivals follows one of ``bursts`` raids (exponential decay after
    #: each, mean ``burst_hours``); the rest arrive uniformly over the weekend.
    bursts: int = 4
    burst_share: float = 0.6
    burst_hours: float = 3.0
    providers: int = 12
    #: Intake seats per provider; ``None`` means unlimited.
    seats_per_provider: int | None = 10
    intake_hours: tuple[float, float] = (2.0, 6.0)
    no_answer: float = 0.15
    sla_detained_hours: float = 24.0
    sla_other_hours: float = 72.0
    #: FCFS: an unanswered referral is answered after a delay drawn uniformly from this range.
    late_answer_hours: tuple[float, float] = (48.0, 168.0)
    seed: int = 0

    def __post_init__(self) -> None:
        problems = []
        if self.requests < 0 or self.providers < 1 or self.hours <= 0:
            problems.append("requests >= 0, providers >= 1 and hours > 0 are required")
        if self.seats_per_provider is not None and self.seats_per_provider < 1:
            problems.append("seats_per_provider must be >= 1 (or unlimited)")
        for name in ("detained_share", "burst_share"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                problems.append(f"{name} must be between 0 and 1")
        if not 0.0 <= self.no_answer < 1.0:
            problems.append("no_answer must be >= 0 and < 1 (someone must answer eventually)")
        for name in ("intake_hours", "late_answer_hours"):
            low, high = getattr(self, name)
            if not 0.0 <= low <= high:
                problems.append(f"{name} must be a range 0 <= low <= high")
        if self.bursts < 0 or self.burst_hours <= 0:
            problems.append("bursts >= 0 and burst_hours > 0 are required")
        if min(self.sla_detained_hours, self.sla_other_hours) <= 0:
            problems.append("SLAs must be positive")
        if problems:
            raise ValueError("; ".join(problems))


@dataclass(frozen=True, slots=True)
class SurgeRequest:
    id: int
    arrival: float
    detained: bool
    priority: int
    intake_hours: float


@dataclass(frozen=True, slots=True)
class Outcome:
    policy: str
    #: Hours from arrival to an accepted referral, indexed like the requests.
    waits: tuple[float, ...]
    referrals: int
    reroutes: int
    #: When each request was accepted, and by which provider.
    accepted_at: tuple[float, ...] = field(repr=False)
    provider_of: tuple[int, ...] = field(repr=False)


class _Event(IntEnum):
    # Order among events at the same instant: seats free up before new work is placed.
    RELEASE = 0
    LATE_ANSWER = 1
    TIMEOUT = 2
    ARRIVAL = 3


def make_requests(params: SurgeParams) -> list[SurgeRequest]:
    rng = random.Random(params.seed)
    raids = sorted(rng.uniform(0.0, params.hours * 0.8) for _ in range(params.bursts))
    arrivals: list[float] = []
    while len(arrivals) < params.requests:
        if raids and rng.random() < params.burst_share:
            t = rng.choice(raids) + rng.expovariate(1.0 / params.burst_hours)
        else:
            t = rng.uniform(0.0, params.hours)
        if t < params.hours:
            arrivals.append(round(t, 4))
    arrivals.sort()
    requests = []
    for i, t in enumerate(arrivals):
        detained = rng.random() < params.detained_share
        days = rng.randint(0, 30 if detained else 365) if detained or rng.random() < 0.6 else None
        priority = triage_priority(
            detained=detained, days_to_hearing=days, vulnerable=rng.random() < 0.15
        )
        requests.append(
            SurgeRequest(i, t, detained, priority, round(rng.uniform(*params.intake_hours), 4))
        )
    return requests


class _Attempts:
    """The k-th referral of request i answers (or not) the same way under both policies."""

    def __init__(self, params: SurgeParams) -> None:
        self.params = params
        self.streams: dict[int, random.Random] = {}
        self.drawn: dict[int, list[tuple[bool, float]]] = {}

    def __call__(self, request: int, attempt: int) -> tuple[bool, float]:
        draws = self.drawn.setdefault(request, [])
        stream = self.streams.setdefault(
            request, random.Random(f"surge:{self.params.seed}:{request}")
        )
        while len(draws) <= attempt:
            answered = stream.random() >= self.params.no_answer
            draws.append((answered, round(stream.uniform(*self.params.late_answer_hours), 4)))
        return draws[attempt]


def simulate(params: SurgeParams, policy: str, requests: Sequence[SurgeRequest]) -> Outcome:
    if policy not in POLICIES:
        raise ValueError(f"unknown policy {policy!r}")
    triaged, reroute = POLICIES[policy]
    attempts = _Attempts(params)
    seats = params.seats_per_provider
    busy = [0] * params.providers
    answered_waiting: list[deque[int]] = [deque() for _ in range(params.providers)]
    failed: list[set[int]] = [set() for _ in requests]
    tries = [0] * len(requests)
    accepted = [math.nan] * len(requests)
    provider_of = [-1] * len(requests)
    pending: list[tuple[float, float, int]] = []
    events: list[tuple[float, int, int, int, int]] = []
    sequence = 0
    reroutes = 0

    def schedule(when: float, kind: _Event, request: int, provider: int = -1) -> None:
        nonlocal sequence
        heapq.heappush(events, (when, kind, sequence, request, provider))
        sequence += 1

    def enqueue(i: int) -> None:
        r = requests[i]
        key = -r.priority if triaged else 0
        heapq.heappush(pending, (key, r.arrival, i))

    def accept(i: int, provider: int, now: float) -> None:
        busy[provider] += 1
        accepted[i] = now
        provider_of[i] = provider
        schedule(now + requests[i].intake_hours, _Event.RELEASE, i, provider)

    def has_room(provider: int) -> bool:
        return seats is None or busy[provider] < seats

    def dispatch(now: float) -> None:
        while pending:
            open_providers = [p for p in range(params.providers) if has_room(p)]
            if not open_providers:
                return
            _, _, i = heapq.heappop(pending)
            # Most free seats; a provider that already let this request time out goes last.
            provider = min(open_providers, key=lambda p: (p in failed[i], busy[p], p))
            answered, late = attempts(i, tries[i])
            tries[i] += 1
            if answered:
                accept(i, provider, now)
            elif reroute:
                failed[i].add(provider)
                sla = params.sla_detained_hours if requests[i].detained else params.sla_other_hours
                schedule(now + sla, _Event.TIMEOUT, i, provider)
            else:
                schedule(now + late, _Event.LATE_ANSWER, i, provider)

    for r in requests:
        schedule(r.arrival, _Event.ARRIVAL, r.id)
    while events:
        now, kind, _, i, provider = heapq.heappop(events)
        if kind == _Event.ARRIVAL:
            enqueue(i)
        elif kind == _Event.RELEASE:
            busy[provider] -= 1
            if answered_waiting[provider]:
                accept(answered_waiting[provider].popleft(), provider, now)
        elif kind == _Event.TIMEOUT:
            reroutes += 1
            enqueue(i)
        elif kind == _Event.LATE_ANSWER:
            # The provider finally says yes; the person still needs one of its seats.
            if has_room(provider):
                accept(i, provider, now)
            else:
                answered_waiting[provider].append(i)
        dispatch(now)

    waits = tuple(accepted[r.id] - r.arrival for r in requests)
    return Outcome(policy, waits, sum(tries), reroutes, tuple(accepted), tuple(provider_of))


def percentile(values: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default); nan when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def run(params: SurgeParams) -> dict[str, object]:
    """Every policy on the same weekend; the summary the benchmark prints."""
    requests = make_requests(params)
    detained = [r.id for r in requests if r.detained]
    summary: dict[str, object] = {"compares": COMPARES}
    for policy in POLICIES:
        outcome = simulate(params, policy, requests)
        waits = [outcome.waits[i] for i in detained]
        everyone = list(outcome.waits)
        summary[f"detained_p50_hours_{policy}"] = _hours(percentile(waits, 50))
        summary[f"detained_p90_hours_{policy}"] = _hours(percentile(waits, 90))
        summary[f"all_p50_hours_{policy}"] = _hours(percentile(everyone, 50))
        summary[f"all_p90_hours_{policy}"] = _hours(percentile(everyone, 90))
        summary[f"referrals_{policy}"] = outcome.referrals
        summary[f"reroutes_{policy}"] = outcome.reroutes
    summary["detained_requests"] = len(detained)
    summary["params"] = asdict(params)
    return summary


COMPARES = {
    "amparo": "triage (most urgent first) and reroute (an unanswered referral goes to another "
    "provider at its SLA): what Amparo does",
    "fcfs": "arrival order, no reroute: the unanswered referral waits for a late answer",
    "fcfs_reroute": "arrival order with Amparo's reroute (ablation: the reroute alone)",
    "triage_no_reroute": "Amparo's triage without the reroute (ablation: the triage alone)",
    "detained_p50_hours_*": "hours from request to an accepted referral, detained people, median",
    "detained_p90_hours_*": "the same, 90th percentile (the tail the SLA reroute shortens)",
}


def _hours(value: float) -> float | None:
    """Rounded for reading; None (JSON null) when there was nobody to measure."""
    return None if math.isnan(value) else round(value, 2)
