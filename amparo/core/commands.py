"""The shape of the commands cron runs (``amparo intake purge``, ``amparo referrals sweep``):
one round of work, printed as one line of JSON, repeated with ``--every SECONDS`` until
stopped."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _


class RepeatingCommand(BaseCommand):
    """A subclass says what one round does (``run_once``, returning what to print)."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=float,
            default=0,
            metavar="SECONDS",
            help=_("Repeat every SECONDS until stopped."),
        )

    def run_once(self, options: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        every = float(options["every"])
        if every < 0:
            raise CommandError(_("--every must be zero or more seconds."))
        while True:
            self.stdout.write(json.dumps(self.run_once(options), sort_keys=True))
            if not every:
                return
            time.sleep(every)


class VerifyCommand(BaseCommand):
    """The shape of ``amparo audit verify`` and ``amparo ledger verify``: one subcommand that
    checks a store end to end, prints its report as one line of JSON, and exits 1 when the store
    is not intact (cron and monitoring read the status). A subclass says what to check."""

    #: What ``verify`` checks, for ``--help``.
    verify_help = ""

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify}")
        sub.add_parser("verify", help=self.verify_help)

    def verify(self) -> tuple[dict[str, Any], str | None]:
        """The report to print, and what is wrong (None when the store is intact)."""
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] != "verify":  # pragma: no cover - argparse refuses others
            raise CommandError(_("Unknown subcommand."))
        report, problem = self.verify()
        self.stdout.write(json.dumps(report, sort_keys=True))
        if problem is not None:
            raise CommandError(problem, returncode=1)
