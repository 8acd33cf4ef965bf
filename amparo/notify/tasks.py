"""Background tasks of reminders. Arguments are ids only, never personal data."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from amparo.core.services import SYSTEM


@task()
def send_reminder(reminder_id: int) -> dict[str, Any]:
    """Send one reminder; a second run (a retry, a duplicate) finds it claimed and does nothing."""
    from .services import reminder_send

    return {"reminder": int(reminder_id), "result": reminder_send(int(reminder_id), by=SYSTEM)}


@task()
def dispatch_reminders() -> dict[str, Any]:
    """Plan and enqueue the reminders that are due (what ``amparo reminders`` runs)."""
    from .services import reminders_dispatch

    report = reminders_dispatch(by=SYSTEM)
    return {
        "planned_hearings": report.planned_hearings,
        "queued": report.queued,
        "skipped": report.skipped,
    }
