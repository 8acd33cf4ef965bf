"""``amparo audit verify``: walk the hash chain of audit events."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from amparo.audit.verify import EDITED, INSERTED, REMOVED, verify_chain


class Command(BaseCommand):
    help = "Audit log tools. 'verify' checks the hash chain; exit status 0 means intact."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify}")
        sub.add_parser("verify", help="Check that no audit event was edited, removed or inserted.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] != "verify":  # pragma: no cover - argparse refuses others
            raise CommandError(_("Unknown subcommand."))
        report = verify_chain()
        self.stdout.write(json.dumps(report.as_dict(), sort_keys=True))
        problem = report.problem
        if problem is None:
            return
        where = {
            "seq": problem.seq,
            "id": problem.event_id if problem.event_id is not None else "-",
        }
        messages = {
            EDITED: _("Audit event %(seq)s (id %(id)s) was edited."),
            REMOVED: _("Audit event %(seq)s was removed."),
            INSERTED: _("Audit event %(seq)s (id %(id)s) was inserted."),
        }
        raise CommandError(messages[problem.kind] % where + f" ({problem.detail})", returncode=1)
