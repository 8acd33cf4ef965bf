"""The registry of benchmarks for ``amparo bench NAME [ARGS]``.

Each module of :data:`MODULES` decorates its benchmarks with ``@register("name", "one line")``.
A benchmark takes its own argument list and returns a dict; the command prints it as one JSON
object on the last line. Benchmarks report their figures beside baselines run in the same
process (a ratio says which over which), never absolute pass/fail timings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

Benchmark = Callable[[list[str]], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Entry:
    run: Benchmark
    description: str


BENCHMARKS: dict[str, Entry] = {}

#: Every module that registers benchmarks.
MODULES: tuple[str, ...] = (
    "bench.backups",
    "bench.casepage",
    "bench.deadlines",
    "bench.imports",
    "bench.intake",
    "bench.ledger",
    "bench.matching",
    "bench.raid",
    "bench.reports",
    "bench.search",
    "bench.slowclients",
    "bench.vault",
)


def register(name: str, description: str) -> Callable[[Benchmark], Benchmark]:
    def deco(func: Benchmark) -> Benchmark:
        BENCHMARKS[name] = Entry(func, description)
        return func

    return deco


def load() -> dict[str, Entry]:
    """Every benchmark, by name."""
    for module in MODULES:
        import_module(module)
    return BENCHMARKS


def listing() -> str:
    """One line per benchmark: its name and what it compares."""
    entries = load()
    width = max(len(name) for name in entries)
    return "\n".join(f"{name:<{width}}  {entries[name].description}" for name in sorted(entries))
