"""Issue #14: the published figures follow the new categories, and /impact/ says so."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from amparo.reports import metrics, presentation, snapshots
from amparo.reports.models import ImpactSnapshot
from tests.clock import frozen

pytestmark = [pytest.mark.django_db, frozen]


def test_the_impact_page_explains_the_change_and_says_what_each_rate_counts(client: Any) -> None:
    cache.clear()
    html = client.get("/impact/").content.decode()
    assert "Protection, with a removal order" in html
    assert "no longer as relief granted" in html
    assert "Withholding of removal and CAT protection are not counted." in html
    cache.clear()
    es = client.get("/impact/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    if "Nuestro impacto" in es:  # the page is served in Spanish when asked
        assert "Protección, con orden de deportación" in es


def test_a_snapshot_from_before_the_change_is_recomputed_not_shown() -> None:
    old = presentation.publish(metrics.compute(), protect=True, public=True).values
    old = {k: v for k, v in old.items() if ":protection" not in k}
    assert not presentation.complete(old)
    ImpactSnapshot.objects.create(
        values=old, threshold=metrics.threshold(), epsilon=presentation.epsilon(), seconds=0
    )
    published = snapshots.public_published()
    assert presentation.complete(published.values)
    assert "out:total:protection" in presentation.context_for(published)["values"]
