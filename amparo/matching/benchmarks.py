"""Benchmarks of the matcher: ``amparo bench matching`` and ``amparo bench surge``.

Each prints one JSON object (the command does the printing). They report outcomes and ratios
against a baseline computed in the same run; nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from amparo.core.bench import register

from .greedy import solve_greedy
from .model import Request, Result, verify
from .solver import solve
from .surge import SurgeParams, run
from .synthetic import make_instance


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


def _detained_share(result: Result, requests: tuple[Request, ...]) -> float:
    detained = {r.id for r in requests if r.detained}
    served = sum(1 for a in result.assignments if a.request_id in detained)
    return round(served / len(detained), 4) if detained else 0.0


@register("matching")
def matching(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(
        prog="amparo bench matching",
        description="Optimal batch matching vs first-come-first-served on a synthetic batch.",
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
    greedy = solve_greedy(instance.requests, instance.attorneys, allow_interpreter=allow)
    t2 = time.perf_counter()
    result = solve(instance.requests, instance.attorneys, allow_interpreter=allow)
    t3 = time.perf_counter()
    # Both answers are checked against every hard rule, independently of how they were made.
    objective = verify(
        result.assignments, instance.requests, instance.attorneys, allow_interpreter=allow
    )
    greedy_objective = verify(
        greedy.assignments, instance.requests, instance.attorneys, allow_interpreter=allow
    )
    bound = float(result.bound if result.bound is not None else objective)
    return {
        "seconds": round(t3 - t2, 3),
        "objective": objective,
        "greedy_objective": greedy_objective,
        "bound": bound,
        "gap_to_bound": (bound - objective) / bound if bound else 0.0,
        "objective_over_greedy": round(objective / greedy_objective, 4)
        if greedy_objective
        else None,
        "greedy_seconds": round(t2 - t1, 3),
        "generate_seconds": round(t1 - t0, 3),
        "served": result.served,
        "greedy_served": greedy.served,
        "detained_served_share": _detained_share(result, instance.requests),
        "greedy_detained_served_share": _detained_share(greedy, instance.requests),
        "interpreter_assignments": result.interpreter_assignments,
        "greedy_interpreter_assignments": greedy.interpreter_assignments,
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


@register("surge")
def surge(argv: list[str]) -> dict[str, Any]:
    defaults = SurgeParams()
    parser = argparse.ArgumentParser(
        prog="amparo bench surge",
        description="A simulated raid weekend: Amparo's triage and SLA reroute vs FCFS.",
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
