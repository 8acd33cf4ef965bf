"""``amparo ledger verify``: re-add every entry and every balance; exit 1 when anything is off."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from amparo.ledger.verify import ledger_verify


class Command(BaseCommand):
    help = "Ledger tools. 'verify' re-adds every entry and balance; exit status 0 means balanced."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify}")
        sub.add_parser("verify", help="Check that every entry and every balance adds up.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] != "verify":  # pragma: no cover - argparse refuses others
            raise CommandError(_("Unknown subcommand."))
        report = ledger_verify()
        for problem in report.problems:
            self.stderr.write(problem)
        self.stdout.write(json.dumps(report.as_dict(), sort_keys=True))
        if not report.balanced:
            raise CommandError(
                _("The books do not add up: %(n)s problems.") % {"n": len(report.problems)},
                returncode=1,
            )
