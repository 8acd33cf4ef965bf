from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from bench.registry import listing, load


class Command(BaseCommand):
    help = (
        "Run a benchmark: amparo bench NAME [ARGS]; prints one JSON object on its last line. "
        "`amparo bench` alone lists them."
    )

    def run_from_argv(self, argv: list[str]) -> None:
        # Benchmarks parse their own options (e.g. --requests 100000): pass them through.
        entries = load()
        rest = argv[2:]
        if not rest or rest[0] in ("-h", "--help", "list"):
            self.stdout.write("usage: amparo bench NAME [ARGS]  (NAME --help for its options)\n")
            self.stdout.write(listing())
            return
        if rest[0] not in entries:
            self.stderr.write(f"unknown benchmark {rest[0]!r}; the benchmarks:\n{listing()}")
            raise SystemExit(2)
        result = entries[rest[0]].run(rest[1:])
        self.stdout.write(json.dumps(result, sort_keys=True))

    def handle(self, *args: Any, **options: Any) -> None:  # pragma: no cover - via run_from_argv
        raise CommandError("use: amparo bench NAME [ARGS]")
