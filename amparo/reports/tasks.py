"""Background tasks of reports. No arguments: nothing personal travels in the queue."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_impact_snapshot() -> int:
    """Recompute the public impact figures (see :mod:`amparo.reports.snapshots`)."""
    from .snapshots import snapshot_refresh

    return snapshot_refresh().pk
