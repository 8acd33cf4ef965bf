"""Background task of the text intake. No arguments: nothing about a person."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from amparo.core.services import SYSTEM

from .services import conversations_abandon_stale


@task()
def abandon_stale_conversations() -> dict[str, Any]:
    """Shred text conversations silent for a day (scheduled hourly: amparo.core.schedule)."""
    return {"abandoned": conversations_abandon_stale(by=SYSTEM)}
