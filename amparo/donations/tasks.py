"""Background tasks of donations. Ids at most: nothing personal travels in the queue."""

from __future__ import annotations

from django_tasks import task

from amparo.core.services import SYSTEM


@task()
def charge_due_pledges() -> int:
    """Charge the recurring pledges whose next charge date has come."""
    from .services import pledges_charge_due

    return len(pledges_charge_due(by=SYSTEM))


@task()
def email_receipt(receipt_id: int) -> bool:
    """Mail the receipt ``receipt_id`` to its donor (once, however often the task runs)."""
    from .services import receipt_email

    return receipt_email(receipt_id=receipt_id, by=SYSTEM)
