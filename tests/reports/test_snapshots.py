"""The public impact page reads the worker's snapshot; a page computes one only when needed."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from amparo.core.schedule import PERIODIC
from amparo.reports import snapshots
from amparo.reports.models import ImpactSnapshot
from amparo.reports.tasks import refresh_impact_snapshot
from tests.clock import frozen

from .test_reports import _case, dataset  # noqa: F401  (fixture)

pytestmark = frozen


def test_the_worker_refreshes_it_and_the_page_reads_it(
    dataset: dict[str, Any],  # noqa: F811
    client: Any,
) -> None:
    assert any(job.task == "amparo.reports.tasks.refresh_impact_snapshot" for job in PERIODIC)
    pk = refresh_impact_snapshot.call()
    snapshot = ImpactSnapshot.objects.get(pk=pk)
    assert snapshot.values["outside"] is None  # 9 cases: small, hidden in the snapshot too
    assert snapshot.values["out:detained:terminated"] == 0
    # more cases arrive; the page keeps showing the snapshot until the next refresh
    for _ in range(12):
        _case(dataset["org"], dataset["lead"], "detained")
    cache.clear()
    html = client.get("/impact/").content.decode()
    assert ">21<" not in html
    assert ImpactSnapshot.objects.count() == 1
    refresh_impact_snapshot.call()
    cache.clear()
    html = client.get("/impact/").content.decode()
    assert ">21<" in html  # 9 + 12 cases: shown now


def test_a_stale_or_missing_snapshot_is_recomputed(dataset: dict[str, Any]) -> None:  # noqa: F811
    assert ImpactSnapshot.objects.count() == 0
    snapshots.public_published()
    assert ImpactSnapshot.objects.count() == 1
    snapshots.public_published()
    assert ImpactSnapshot.objects.count() == 1  # fresh: reused
    later = timezone.now() + snapshots.MAX_AGE + datetime.timedelta(minutes=1)
    snapshots.public_published(now=later)
    assert ImpactSnapshot.objects.count() == 2


def test_a_changed_threshold_is_not_served_from_an_old_snapshot(
    dataset: dict[str, Any],  # noqa: F811
    settings: Any,
) -> None:
    assert snapshots.public_published().values["relief:asylum"] is None  # 3 < 11
    settings.AMPARO_SMALL_CELL_THRESHOLD = 3
    assert snapshots.public_published().values["relief:asylum"] == 3


def test_only_the_newest_are_kept(db: Any) -> None:
    for _ in range(snapshots.KEEP + 3):
        snapshots.snapshot_refresh()
    assert ImpactSnapshot.objects.count() == snapshots.KEEP
