"""Background tasks of grants. No arguments: nothing personal travels in the queue."""

from __future__ import annotations

from django_tasks import task

from amparo.core.services import SYSTEM


@task()
def send_report_reminders() -> int:
    """Email due, late and very-late grantee report reminders (each state once)."""
    from .services import reminders_send

    return reminders_send(by=SYSTEM)
