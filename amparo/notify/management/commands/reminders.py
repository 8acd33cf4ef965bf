"""``amparo reminders [--every SECONDS]``: plan hearing reminders and queue the ones that are due.

Run it from cron every few minutes, or leave it running with ``--every 300``. The worker
(``amparo worker``) sends what it queues. Running several at once is safe.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from amparo.core.services import SYSTEM
from amparo.notify.tasks import reminders_dispatch


class Command(BaseCommand):
    help = gettext_noop("Plan hearing reminders and queue those that are due.")

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = _(self.help)  # argparse needs a real string: translate when it is built
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help=_("Keep running, looking again after this many seconds (default: run once)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every = max(0, int(options["every"]))
        while True:
            report = reminders_dispatch(by=SYSTEM)
            self.stdout.write(
                _(
                    "Reminders: %(hearings)s upcoming hearings checked, %(queued)s queued, %(skipped)s skipped."
                )
                % {
                    "hearings": report.planned_hearings,
                    "queued": report.queued,
                    "skipped": report.skipped,
                }
            )
            if not every:
                return
            time.sleep(every)
