"""Background tasks of donations. No arguments: nothing personal travels in the queue."""

from __future__ import annotations

from django_tasks import task

from amparo.core.services import SYSTEM


@task()
def charge_due_pledges() -> int:
    """Charge the recurring pledges whose next charge date has come."""
    from .services import pledges_charge_due

    return len(pledges_charge_due(by=SYSTEM))
