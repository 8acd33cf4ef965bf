"""The public page's noised figures are drawn once per quarter and then only read back.

Where a test asserts that a new quarter's figures moved, epsilon is 2 and the true count moved
by 12: the two quarters' noises would have to differ by 12 or more the other way, which a
correct sampler does with probability below 1e-9.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

import time_machine
from django.core.cache import cache
from django.utils import translation

from amparo.reports import metrics, releases, snapshots
from amparo.reports.models import ImpactRelease
from amparo.reports.tasks import refresh_impact_snapshot
from tests.clock import frozen

from .test_reports import _case, dataset  # noqa: F401  (fixture)

pytestmark = frozen
DENVER = zoneinfo.ZoneInfo("America/Denver")


def _more_cases(data: dict[str, Any], n: int) -> None:
    for _ in range(n):
        _case(data["org"], data["lead"], "detained")


def test_no_refresh_within_the_quarter_changes_a_published_figure(
    dataset: dict[str, Any],  # noqa: F811
    settings: Any,
) -> None:
    settings.AMPARO_IMPACT_DP_EPSILON = "2"
    settings.AMPARO_SMALL_CELL_THRESHOLD = 1  # nothing hidden: every noised figure shows
    first = snapshots.public_published()
    assert first.noised and first.period == "2026-Q2" and first.epsilon == "2"
    before = metrics.compute().outside
    _more_cases(dataset, 12)
    assert metrics.compute().outside == before + 12  # the truth moved
    for moment in (
        datetime.datetime(2026, 5, 13, 10, 5, tzinfo=DENVER),
        datetime.datetime(2026, 6, 2, 8, 0, tzinfo=DENVER),
        datetime.datetime(2026, 6, 30, 23, 59, tzinfo=DENVER),  # the quarter's last minute
    ):
        with time_machine.travel(moment, tick=False):
            refresh_impact_snapshot.call()
            assert snapshots.public_published().values == first.values
    assert ImpactRelease.objects.count() == 1

    # The next quarter draws again, from the new truth, with the epsilon set for it (a change
    # within a quarter waits for the next one). An epsilon of 40 makes a draw that moves any of
    # the page's atoms less likely than 1 in 10**15, so the new truth shows through exactly;
    # comparing two draws at epsilon 2 was a coin toss that could land either way.
    settings.AMPARO_IMPACT_DP_EPSILON = "40"
    assert snapshots.public_published().epsilon == "2"  # still 2026-Q2 here: unchanged
    with time_machine.travel(datetime.datetime(2026, 7, 1, 0, 1, tzinfo=DENVER), tick=False):
        refresh_impact_snapshot.call()
        second = snapshots.public_published()
    assert second.period == "2026-Q3" and second.epsilon == "40"
    assert second.values["outside"] == before + 12
    assert ImpactRelease.objects.get(period="2026-Q2").values == first.values


def test_a_second_draw_for_the_same_quarter_is_dropped(
    dataset: dict[str, Any],  # noqa: F811
    settings: Any,
) -> None:
    settings.AMPARO_IMPACT_DP_EPSILON = "1/2"
    stored = releases.public_release()
    assert stored is not None
    again = releases._draw(stored.period, "1/2")  # another worker racing for the same quarter
    assert again.pk == stored.pk and again.values == stored.values
    assert ImpactRelease.objects.count() == 1


def test_a_new_threshold_protects_the_same_noised_atoms_again(
    dataset: dict[str, Any],  # noqa: F811
    settings: Any,
) -> None:
    settings.AMPARO_IMPACT_DP_EPSILON = "1"
    settings.AMPARO_SMALL_CELL_THRESHOLD = 1
    stored = releases.public_release()
    assert stored is not None
    atoms = stored.atoms
    settings.AMPARO_SMALL_CELL_THRESHOLD = 10_000  # every non-zero figure is now small
    again = releases.public_release()
    assert again is not None and again.atoms == atoms  # nothing drawn again
    assert all(v in (None, 0) for v in again.values.values())
    assert again.values == releases.presentation.published_values(
        releases.metrics_from_json(atoms), protect_cells=True
    )


def test_the_page_states_epsilon_and_the_period_in_both_languages(
    dataset: dict[str, Any],  # noqa: F811
    client: Any,
    settings: Any,
) -> None:
    settings.AMPARO_IMPACT_DP_EPSILON = "1/2"
    cache.clear()
    en = client.get("/impact/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "These are the figures for Quarter 2 of 2026" in en
    assert "ε = 0.5" in en
    cache.clear()
    es = client.get("/impact/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    with translation.override("es"):
        quarter = translation.gettext("Quarter %(number)s of %(year)s") % {
            "number": 2,
            "year": 2026,
        }
    assert quarter in es and quarter != "Quarter 2 of 2026"
    assert "ε = 0,5" in es
    assert "These are the figures" not in es


def test_without_epsilon_nothing_is_drawn(
    dataset: dict[str, Any],  # noqa: F811
    settings: Any,
) -> None:
    settings.AMPARO_IMPACT_DP_EPSILON = None
    published = snapshots.public_published()
    assert not published.noised and published.epsilon is None
    assert ImpactRelease.objects.count() == 0
