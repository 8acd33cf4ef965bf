"""``amparo intake purge``: shred closed help requests whose retention period has ended.

Run it daily (cron, or ``--every 86400``); the task ``purge_expired_help_requests`` does the same
on the task queue. Requests that became cases are never touched.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from amparo.core.commands import RepeatingCommand
from amparo.core.services import SYSTEM
from amparo.intake.services import help_requests_purge_expired


class Command(RepeatingCommand):
    help = _("Shred the help requests whose retention period has ended (purge).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=("purge",))
        super().add_arguments(parser)

    def run_once(self, options: dict[str, Any]) -> dict[str, Any]:
        return {"purged": help_requests_purge_expired(by=SYSTEM)}
