"""Refresh and read the public impact snapshot (:class:`amparo.reports.models.ImpactSnapshot`).

Under differential privacy the public figures are the period's release
(:mod:`amparo.reports.releases`): a refresh draws it when the period has none yet and otherwise
copies it unchanged, so refreshing never spends privacy budget.
"""

from __future__ import annotations

import datetime
import time
from fractions import Fraction

from django.utils import timezone

from . import metrics, presentation, releases
from .models import ImpactSnapshot

#: A snapshot older than this is recomputed by the page that needs it (the worker refreshes
#: every five minutes, so this only happens when no worker runs).
MAX_AGE = datetime.timedelta(minutes=30)
#: Snapshots kept (the newest few: enough to see that the worker runs).
KEEP = 12


def snapshot_refresh() -> ImpactSnapshot:
    """Compute, protect and store the public figures; drop all but the newest snapshots."""
    started = time.perf_counter()
    release = releases.public_release()
    if release is None:
        values = presentation.publish(metrics.compute(), protect=True).values
    else:
        values = release.values
    snapshot = ImpactSnapshot.objects.create(
        values=values,
        threshold=metrics.threshold(),
        epsilon=None if release is None else float(Fraction(release.epsilon)),
        seconds=round(time.perf_counter() - started, 3),
    )
    old = ImpactSnapshot.objects.values_list("pk", flat=True)[KEEP:]
    ImpactSnapshot.objects.filter(pk__in=list(old)).delete()
    return snapshot


def public_published(*, now: datetime.datetime | None = None) -> presentation.Published:
    """The period's release under differential privacy; otherwise the newest snapshot's
    figures, if it is recent and made with today's settings, else a fresh one."""
    now = now or timezone.now()
    release = releases.public_release(now)
    if release is not None:
        return releases.published(release)
    snapshot = ImpactSnapshot.objects.first()
    if (
        snapshot is None
        or snapshot.computed_at < now - MAX_AGE
        or snapshot.threshold != metrics.threshold()
        or snapshot.epsilon is not None
        or not presentation.complete(snapshot.values)
    ):
        snapshot = snapshot_refresh()
    return presentation.Published(values=dict(snapshot.values), protect=True, noised=False)
