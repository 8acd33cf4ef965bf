"""Refresh and read the public impact snapshot (:class:`amparo.reports.models.ImpactSnapshot`)."""

from __future__ import annotations

import datetime
import time

from django.utils import timezone

from . import metrics, presentation
from .models import ImpactSnapshot

#: A snapshot older than this is recomputed by the page that needs it (the worker refreshes
#: every five minutes, so this only happens when no worker runs).
MAX_AGE = datetime.timedelta(minutes=30)
#: Snapshots kept (the newest few: enough to see that the worker runs).
KEEP = 12


def snapshot_refresh() -> ImpactSnapshot:
    """Compute, protect and store the public figures; drop all but the newest snapshots."""
    started = time.perf_counter()
    published = presentation.publish(metrics.compute(), protect=True, public=True)
    snapshot = ImpactSnapshot.objects.create(
        values=published.values,
        threshold=metrics.threshold(),
        epsilon=presentation.epsilon(),
        seconds=round(time.perf_counter() - started, 3),
    )
    old = ImpactSnapshot.objects.values_list("pk", flat=True)[KEEP:]
    ImpactSnapshot.objects.filter(pk__in=list(old)).delete()
    return snapshot


def public_published(*, now: datetime.datetime | None = None) -> presentation.Published:
    """The newest snapshot's figures, if it is recent and made with today's settings; else a
    fresh one."""
    now = now or timezone.now()
    snapshot = ImpactSnapshot.objects.first()
    if (
        snapshot is None
        or snapshot.computed_at < now - MAX_AGE
        or snapshot.threshold != metrics.threshold()
        or snapshot.epsilon != presentation.epsilon()
        or not presentation.complete(snapshot.values)
    ):
        snapshot = snapshot_refresh()
    return presentation.Published(
        values=dict(snapshot.values), protect=True, noised=snapshot.epsilon is not None
    )
