"""``amparo referrals sweep|assign``: the referral timers and the batch matcher, for cron or by hand.

``sweep`` expires every referral whose answer is overdue and reroutes its request (the same as
the per-referral timers of the task queue; run it every few minutes from cron when the queue
cannot defer tasks), and routes every request whose routing task was lost. ``assign`` sends the waiting queue to providers with the batch matcher.
``--every SECONDS`` repeats the command until stopped.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from amparo.core.commands import RepeatingCommand
from amparo.core.services import SYSTEM
from amparo.referrals.services import (
    referrals_assign_queue,
    referrals_expire_overdue,
    referrals_route_stranded,
)


class Command(RepeatingCommand):
    help = _(
        "Expire overdue referrals and reroute them (sweep), or assign the waiting queue (assign)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=("sweep", "assign"))
        super().add_arguments(parser)

    def run_once(self, options: dict[str, Any]) -> dict[str, Any]:
        if options["action"] == "sweep":
            return {
                "expired": referrals_expire_overdue(by=SYSTEM),
                "routed": referrals_route_stranded(by=SYSTEM),
            }
        batch = referrals_assign_queue(by=SYSTEM)
        return {
            "considered": batch.considered,
            "referred": batch.referred,
            "objective": batch.objective,
        }
