"""``amparo intake purge``: shred closed help requests whose retention period has ended.

Run it daily (cron, or ``--every 86400``); the task ``purge_expired_help_requests`` does the same
on the task queue. Requests that became cases are never touched.
"""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from amparo.core.services import SYSTEM
from amparo.intake.services import help_requests_purge_expired


class Command(BaseCommand):
    help = _("Shred the help requests whose retention period has ended (purge).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=("purge",))
        parser.add_argument(
            "--every",
            type=float,
            default=0,
            metavar="SECONDS",
            help=_("Repeat every SECONDS until stopped."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every = float(options["every"])
        if every < 0:
            raise CommandError(_("--every must be zero or more seconds."))
        while True:
            self.stdout.write(json.dumps({"purged": help_requests_purge_expired(by=SYSTEM)}))
            if not every:
                return
            time.sleep(every)
