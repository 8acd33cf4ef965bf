"""A registry of benchmarks for `amparo bench NAME [ARGS]`.

Each app puts its benchmarks in a module `amparo/<app>/bench.py` and decorates them with
``@register("name")``. A benchmark takes its own argument list and returns a dict; the command
prints it as one JSON object on the last line. Benchmarks report ratios against a baseline run
in the same process, never absolute pass/fail timings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Benchmark = Callable[[list[str]], dict[str, Any]]
BENCHMARKS: dict[str, Benchmark] = {}

#: Benchmark modules of packages that are not Django apps (pure cores).
BUILTIN_MODULES: list[str] = [
    "amparo.matching.benchmarks",
    "amparo.backups.bench",
    "amparo.core.bench_slowclients",
]


def register(name: str) -> Callable[[Benchmark], Benchmark]:
    def deco(func: Benchmark) -> Benchmark:
        BENCHMARKS[name] = func
        return func

    return deco
