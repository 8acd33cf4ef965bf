"""``amparo referrals sweep|assign``: the referral timers and the batch matcher, for cron or by hand.

``sweep`` expires every referral whose answer is overdue and reroutes its request (the same as
the per-referral timers of the task queue; run it every few minutes from cron when the queue
cannot defer tasks). ``assign`` sends the waiting queue to providers with the batch matcher.
``--every SECONDS`` repeats the command until stopped.
"""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from amparo.core.services import SYSTEM
from amparo.referrals.services import referrals_assign_queue, referrals_expire_overdue


class Command(BaseCommand):
    help = _(
        "Expire overdue referrals and reroute them (sweep), or assign the waiting queue (assign)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=("sweep", "assign"))
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
            if options["action"] == "sweep":
                result: dict[str, Any] = {"expired": referrals_expire_overdue(by=SYSTEM)}
            else:
                batch = referrals_assign_queue(by=SYSTEM)
                result = {
                    "considered": batch.considered,
                    "referred": batch.referred,
                    "objective": batch.objective,
                }
            self.stdout.write(json.dumps(result, sort_keys=True))
            if not every:
                return
            time.sleep(every)
