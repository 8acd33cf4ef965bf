"""``amparo donations import FILE [--format amparo|stripe-payouts|bank-csv] [--currency USD]``
and ``amparo donations charge-due`` (charge recurring pledges that are due)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from amparo.core.services import SYSTEM
from amparo.donations.imports import FORMATS, ImportRefused, gifts_import
from amparo.donations.services import pledges_charge_due


class Command(BaseCommand):
    help = "Donations tools: import a file of gifts (all or nothing), charge due recurring pledges."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{import,charge-due}")
        imp = sub.add_parser("import", help="Import gifts from a CSV file; see docs/imports.md.")
        imp.add_argument("file")
        imp.add_argument("--format", choices=FORMATS, default="amparo")
        imp.add_argument("--currency", default=None, help="currency of a bank statement")
        sub.add_parser("charge-due", help="Charge every recurring pledge that is due today.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "charge-due":
            gifts = pledges_charge_due(by=SYSTEM)
            self.stdout.write(json.dumps({"charged": len(gifts)}))
            return
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s.") % {"file": path.name}, returncode=1
            ) from exc
        try:
            result = gifts_import(
                data,
                fmt=options["format"],
                currency=options["currency"],
                name=path.name,
                by=SYSTEM,
            )
        except ImportRefused as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(
                _("Nothing was imported: the file has %(n)s problem(s).") % {"n": len(exc.errors)},
                returncode=1,
            ) from exc
        self.stdout.write(json.dumps(result.as_dict(), sort_keys=True))
