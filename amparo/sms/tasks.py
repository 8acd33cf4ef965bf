"""Periodic jobs of the text channel (no arguments: nothing personal in a task)."""

from __future__ import annotations

from django_tasks import task

from .services import sms_purge_unlinked, sms_send_deferred


@task()
def purge_unlinked_messages() -> int:
    """Shred the texts older than a day that belong to no request."""
    return sms_purge_unlinked()


@task()
def send_deferred_messages() -> int:
    """Send what quiet hours held back."""
    return sms_send_deferred()
