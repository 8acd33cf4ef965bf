from __future__ import annotations

import json
from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import autodiscover_modules

from amparo.core.bench import BENCHMARKS, BUILTIN_MODULES


class Command(BaseCommand):
    help = "Run a benchmark: amparo bench NAME [ARGS]. Prints one JSON object on its last line."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("name", nargs="?")
        parser.add_argument("args", nargs="*")

    def run_from_argv(self, argv: list[str]) -> None:
        # Benchmarks parse their own options (e.g. --requests 100000): pass them through.
        autodiscover_modules("bench")
        for module in BUILTIN_MODULES:
            import_module(module)
        rest = argv[2:]
        if not rest or rest[0] not in BENCHMARKS:
            names = ", ".join(sorted(BENCHMARKS)) or "none yet"
            self.stderr.write(f"usage: amparo bench NAME [ARGS]  (benchmarks: {names})")
            raise SystemExit(2)
        result = BENCHMARKS[rest[0]](rest[1:])
        self.stdout.write(json.dumps(result, sort_keys=True))

    def handle(self, *args: Any, **options: Any) -> None:  # pragma: no cover - via run_from_argv
        raise CommandError("use: amparo bench NAME [ARGS]")
