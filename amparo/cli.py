"""The `amparo` operator command: a thin front door to the project's management commands.

`amparo demo`, `amparo serve`, `amparo worker`, `amparo seed`, ... each map to a Django
management command of the same name (`demo`, `serve`, `worker` and `seed` run `amparo_demo`, `amparo_serve`, ...).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(
            "usage: amparo COMMAND [ARGS]\n\n"
            "operators:  demo, serve, worker, seed, messages\n"
            "cases:      deadline, reminders\n"
            "help:       intake, referrals, sms-simulate\n"
            "fund:       ledger, donations, grant_reminders\n"
            "security:   audit, keys, backup, restore, shred\n"
            "measuring:  bench\n"
            "and every Django management command (migrate, check, ...); `amparo COMMAND --help`"
        )
        return 0
    from django.core.management import execute_from_command_line

    command = argv[0]
    aliases = {
        "demo": "amparo_demo",
        "serve": "amparo_serve",
        "worker": "amparo_worker",
        "seed": "amparo_seed",
        "sms-simulate": "sms_simulate",
    }
    if command == "bench":
        # The benchmarks live outside the product, in the top-level bench package: they run
        # under its settings, which add the bench app to the settings chosen so far.
        base = os.environ["DJANGO_SETTINGS_MODULE"]
        if base != "bench.settings":
            os.environ["AMPARO_BENCH_SETTINGS_BASE"] = base
            os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    argv[0] = aliases.get(command, command)
    execute_from_command_line(["amparo", *argv])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
