"""Benchmarks of the matcher: ``amparo bench matching`` and ``amparo bench surge``.

Each prints one JSON object (the command does the printing). They report outcomes and ratios
against a baseline computed in the same run; nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from typing import Any

from amparo.matching.greedy import solve_greedy
from amparo.matching.model import Request, Result, verify
from amparo.matching.solver import solve
from bench.registry import register
from bench.surge import SurgeParams, run
from bench.synthetic import make_instance


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def _seats(text: str) -> int | None:
    return None if text.strip().lower() in {"unlimited", "none", "inf"} else _positive(text)


COMPARES = {
    "objective_over_fcfs": "total triage priority served: the LP optimum ÷ a greedy that takes "
    "requests in arrival order (first come, first served)",
    "objective_over_triage_greedy": "total triage priority served: the LP optimum ÷ the same "
    "greedy taking requests in triage order (most urgent first, then earliest)",
    "gap_to_bound": "(LP bound − the optimum's total priority) ÷ the bound: 0 proves optimality",
    "triage_greedy_gap_to_bound": "(LP bound − the triage-ordered greedy's total) ÷ the bound",
}


def triage_order(requests: tuple[Request, ...]) -> tuple[Request, ...]:
    """The requests most urgent first, then earliest, renumbered as arrivals in that order (the
    greedy takes requests by arrival)."""
    ordered = sorted(requests, key=lambda r: (-r.priority, r.arrival))
    return tuple(replace(r, arrival=float(rank)) for rank, r in enumerate(ordered))


def _ratio(ours: int, baseline: int) -> float | None:
    return round(ours / baseline, 4) if baseline else None


def _detained_share(result: Result, requests: tuple[Request, ...]) -> float:
    detained = {r.id for r in requests if r.detained}
    served = sum(1 for a in result.assignments if a.request_id in detained)
    return round(served / len(detained), 4) if detained else 0.0


@register(
    "matching",
    "optimal batch matching vs an FCFS greedy and a triage-ordered greedy, and its gap to the LP bound",
)
def matching(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(
        prog="amparo bench matching",
        description="Optimal batch matching vs two greedy baselines on a synthetic batch.",
    )
    parser.add_argument("--requests", type=_positive, default=100_000)
    parser.add_argument("--attorneys", type=_positive, default=2_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-interpreters", action="store_true")
    args = parser.parse_args(argv)
    allow = not args.no_interpreters

    t0 = time.perf_counter()
    instance = make_instance(args.requests, args.attorneys, seed=args.seed)
    t1 = time.perf_counter()
    fcfs = solve_greedy(instance.requests, instance.attorneys, allow_interpreter=allow)
    t2 = time.perf_counter()
    triage = solve_greedy(
        triage_order(instance.requests), instance.attorneys, allow_interpreter=allow
    )
    t3 = time.perf_counter()
    result = solve(instance.requests, instance.attorneys, allow_interpreter=allow)
    t4 = time.perf_counter()
    # Every answer is checked against every hard rule, independently of how it was made.
    objective = verify(
        result.assignments, instance.requests, instance.attorneys, allow_interpreter=allow
    )
    fcfs_objective = verify(
        fcfs.assignments, instance.requests, instance.attorneys, allow_interpreter=allow
    )
    triage_objective = verify(
        triage.assignments, instance.requests, instance.attorneys, allow_interpreter=allow
    )
    bound = float(result.bound if result.bound is not None else objective)
    return {
        "seconds": round(t4 - t3, 3),
        "objective": objective,
        "bound": bound,
        "gap_to_bound": (bound - objective) / bound if bound else 0.0,
        "fcfs_objective": fcfs_objective,
        "triage_greedy_objective": triage_objective,
        "objective_over_fcfs": _ratio(objective, fcfs_objective),
        "objective_over_triage_greedy": _ratio(objective, triage_objective),
        "triage_greedy_gap_to_bound": round((bound - triage_objective) / bound, 6)
        if bound
        else 0.0,
        "compares": COMPARES,
        "fcfs_seconds": round(t2 - t1, 3),
        "triage_greedy_seconds": round(t3 - t2, 3),
        "generate_seconds": round(t1 - t0, 3),
        "served": result.served,
        "fcfs_served": fcfs.served,
        "triage_greedy_served": triage.served,
        "detained_served_share": _detained_share(result, instance.requests),
        "fcfs_detained_served_share": _detained_share(fcfs, instance.requests),
        "triage_greedy_detained_served_share": _detained_share(triage, instance.requests),
        "interpreter_assignments": result.interpreter_assignments,
        "fcfs_interpreter_assignments": fcfs.interpreter_assignments,
        "triage_greedy_interpreter_assignments": triage.interpreter_assignments,
        "capacity": sum(a.capacity for a in instance.attorneys),
        "model": {k: v for k, v in result.stats.items() if not k.endswith("seconds")},
        "lp_seconds": {
            k: round(v, 3)
            for k, v in result.stats.items()
            if k.startswith("lp_") and k.endswith("seconds")
        },
        "params": {
            "requests": args.requests,
            "attorneys": args.attorneys,
            "seed": args.seed,
            "interpreters": allow,
        },
    }


@register(
    "surge",
    "a simulated raid weekend: triage + SLA reroute vs FCFS, FCFS + reroute and triage alone",
)
def surge(argv: list[str]) -> dict[str, Any]:
    defaults = SurgeParams()
    parser = argparse.ArgumentParser(
        prog="amparo bench surge",
        description="A simulated raid weekend: Amparo's triage and SLA reroute vs FCFS and ablations.",
    )
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--requests", type=int, default=defaults.requests)
    parser.add_argument("--hours", type=float, default=defaults.hours)
    parser.add_argument("--providers", type=int, default=defaults.providers)
    parser.add_argument(
        "--seats",
        type=_seats,
        default=defaults.seats_per_provider,
        help="per provider, or 'unlimited'",
    )
    parser.add_argument("--no-answer", type=float, default=defaults.no_answer)
    parser.add_argument("--detained-share", type=float, default=defaults.detained_share)
    args = parser.parse_args(argv)
    try:
        params = SurgeParams(
            requests=args.requests,
            hours=args.hours,
            detained_share=args.detained_share,
            providers=args.providers,
            seats_per_provider=args.seats,
            no_answer=args.no_answer,
            seed=args.seed,
        )
    except ValueError as error:
        parser.error(str(error))
    started = time.perf_counter()
    summary = run(params)
    summary["seconds"] = round(time.perf_counter() - started, 3)
    return summary
