"""Background tasks of intake. Arguments are ids only, never anything about the person."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from amparo.core.services import SYSTEM


@task()
def purge_expired_help_requests() -> dict[str, Any]:
    """Crypto-shred closed requests whose retention period ended (scheduled: see README)."""
    from .services import help_requests_purge_expired

    return {"purged": help_requests_purge_expired(by=SYSTEM)}
