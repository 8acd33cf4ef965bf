"""``amparo grant_reminders``: email grantees about due, late and very late reports, once each."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from amparo.core.services import SYSTEM
from amparo.grants.services import reminders_send


class Command(BaseCommand):
    help = "Remind grantees of due, late and very late quarterly reports (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps({"reminded": reminders_send(by=SYSTEM)}))
