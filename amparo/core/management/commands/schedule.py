"""``amparo schedule``: show the periodic jobs, or enqueue those that are due once (for cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from amparo.core.models import ScheduledJob
from amparo.core.schedule import PERIODIC, schedule_tick


class Command(BaseCommand):
    help = _("Show the periodic jobs, or enqueue the ones that are due (--run-due).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--run-due", action="store_true", help=_("Enqueue the jobs that are due, once.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["run_due"]:
            names = schedule_tick()
            self.stdout.write(_("Enqueued: %(names)s") % {"names": ", ".join(names) or "—"})
            return
        rows = {j.name: j for j in ScheduledJob.objects.all()}
        for job in PERIODIC:
            row = rows.get(job.name)
            nxt = row.next_run_at.isoformat() if row else _("at the next tick")
            if job.enabled is not None and not import_string(job.enabled)():
                nxt = _("off (not configured)")
            self.stdout.write(f"{job.name:28} {job.every!s:>16}  {nxt}  {job.task}")
