"""Seeded people (written in bulk, without signals) become searchable through the seed step."""

from __future__ import annotations

from typing import Any

import pytest

from amparo.core.seed import seed_run
from amparo.intake.models import HelpRequest
from amparo.search.models import SearchKey
from amparo.search.services import search_run
from tests.clock import frozen

pytestmark = [pytest.mark.django_db, frozen]


def test_the_seed_step_gives_bulk_written_requests_their_keys(make_user: Any, policy: Any):
    from amparo.accounts.roles import Role

    seed_run(seed=7, counts={"requests": 3})
    assert not SearchKey.objects.exists()  # bulk_create sent no signal
    report = seed_run(seed=7, counts={"search-keys": 10})
    assert report.results["search-keys"].created == 3
    assert seed_run(seed=7, counts={"search-keys": 10}).results["search-keys"].created == 0
    request = HelpRequest.objects.order_by("reference").first()
    assert request is not None
    surname = request.name.split()[-1]
    worker = make_user(Role.INTAKE_WORKER)
    assert request.reference in {r.reference for r in search_run(by=worker, query=surname)}
