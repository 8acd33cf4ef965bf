"""Every published funnel is nested: no stage is ever larger than the one before it.

Over random partitions that the data model allows (a case born from a request is one of the
accepted requests; any number of cases may start outside the help line or come from requests
another slice counts), shown plain, protected and noised; over the demo, sliced every way a
dashboard can; and over a few seeds of ``amparo seed``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import LazySettings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.cases.models import Case
from amparo.core.demo import demo_seed
from amparo.core.seed import seed_run
from amparo.intake.models import RequestState
from amparo.organizations.models import GrantCategory, ProviderOrganization
from amparo.referrals.demo import DIRECT_EVERY
from amparo.referrals.models import Referral, ReferralStatus
from amparo.reports import metrics, presentation, releases
from amparo.reports.metrics import (
    CUSTODY_ROWS,
    DECISIONS,
    OUTCOME_GROUPS,
    REQUEST_STAGES,
    Filters,
    Metrics,
    empty_atoms,
)
from tests.clock import frozen
from tests.intake.helpers import policy  # noqa: F401 (a fixture)

KEYS = [(c, g, d) for c in CUSTODY_ROWS for g in OUTCOME_GROUPS for d in DECISIONS]


@st.composite
def worlds(draw: st.DrawFn) -> Metrics:
    """Counts a real database can hold: represented cases are at most the accepted requests."""
    stages = dict(
        zip(REQUEST_STAGES, draw(st.lists(st.integers(0, 40), min_size=4, max_size=4)), strict=True)
    )

    def spread(total: int) -> dict[tuple[str, str, str], int]:
        atoms = empty_atoms()
        for _ in range(total):
            atoms[draw(st.sampled_from(KEYS[:12]))] += 1
        return atoms

    represented = draw(st.integers(0, stages["accepted"]))
    return Metrics(
        request_stages=stages,
        case_atoms=spread(represented),
        outside_atoms=spread(draw(st.integers(0, 60))),
        other_atoms=spread(draw(st.integers(0, 10))),
    )


def _published(m: Metrics) -> list[dict[str, int | None]]:
    """What each kind of page would show: the dashboard (plain), the board (protected) and the
    public page under two noise levels (noised, then protected)."""
    out = [
        presentation.published_values(m, protect_cells=False),
        presentation.published_values(m, protect_cells=True),
    ]
    for eps in (0.1, 1.0):
        out.append(presentation.published_values(presentation.noised(m, eps), protect_cells=True))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_every_published_funnel_is_nested_over_random_data(m: Metrics) -> None:
    for values in _published(m):
        assert presentation.funnel_nested(values), values
        # the cases that started outside the help line are counted, never in the funnel
        if values["outside"] is not None and values["represented"] is not None:
            assert values["outside"] + values["represented"] >= values["represented"]
    plain = _published(m)[0]
    assert plain["represented"] == m.represented <= plain["accepted"]
    assert plain["outside"] == m.outside


def test_an_inverted_funnel_is_caught() -> None:
    assert not presentation.funnel_nested(
        {"requests": 9, "eligible": 9, "referred": 5, "accepted": 4, "represented": 6}
    )
    # a hidden stage does not hide an inversion around it
    assert not presentation.funnel_nested(
        {"requests": 9, "eligible": None, "referred": 5, "accepted": None, "represented": 6}
    )
    assert presentation.funnel_nested(
        {"requests": 9, "eligible": None, "referred": 5, "accepted": None, "represented": 5}
    )


def _slices() -> list[Filters]:
    from tests.clock import FROZEN_TODAY

    orgs = list(ProviderOrganization.objects.values_list("pk", flat=True))
    return [
        Filters(),
        # cases opened today, from requests made days before: they are no part of this funnel
        Filters(start=FROZEN_TODAY, end=FROZEN_TODAY),
        *(Filters(organization_id=pk) for pk in orgs),
        *(
            Filters(category=str(c))
            for c in (GrantCategory.DETAINED_REMOVAL, GrantCategory.AFFIRMATIVE_NON_DETAINED)
        ),
    ]


def _assert_nested_everywhere(settings: LazySettings) -> list[Metrics]:
    seen = []
    for f in _slices():
        m = metrics.compute(f)
        assert m.represented <= m.request_stages["accepted"], f
        for values in _published(m):
            assert presentation.funnel_nested(values), (f, values)
        seen.append(m)
    settings.AMPARO_IMPACT_DP_EPSILON = 0.5
    public = releases.public_release()
    assert public is not None and presentation.funnel_nested(public.values)
    public = presentation.publish(metrics.compute(), protect=True, public=True)
    assert public.noised and presentation.funnel_nested(public.values)
    return seen


@pytest.mark.django_db
@frozen
def test_the_demos_funnels_are_nested_and_count_outside_cases_apart(settings: Any) -> None:
    from amparo.referrals.demo import DIRECT_EVERY

    ctx = demo_seed()
    everything, today, *_ = _assert_nested_everywhere(settings)
    direct = Case.objects.filter(referral_id__isnull=True).count()
    assert direct == len(ctx.extra["cases"]) // DIRECT_EVERY >= 1
    assert everything.outside == direct
    assert everything.represented == Case.objects.count() - direct
    assert 0 < everything.represented <= everything.funnel["accepted"]
    # the demo's cases opened today were asked for days ago: not this day's funnel
    assert today.represented == 0 and today.request_stages["accepted"] == 0
    assert sum(today.other_atoms.values()) > 0


@pytest.mark.django_db
@frozen
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_seeded_funnels_are_nested(seed: int, policy: Any, settings: Any) -> None:  # noqa: F811
    seed_run(
        seed=seed,
        counts={"organizations": 2, "attorneys": 4, "requests": 60, "cases": 30},
    )
    everything = _assert_nested_everywhere(settings)[0]
    # Each seeded case was born from a request, as the demo's are, but one in DIRECT_EVERY
    # (a provider's own intake), which the figures count apart.
    direct = Case.objects.filter(referral_id__isnull=True).count()
    assert direct == 30 // DIRECT_EVERY == 2
    assert everything.outside == direct
    assert everything.represented == 30 - direct
    assert everything.funnel["requests"] == 60 + 30 - direct
    assert everything.represented <= everything.funnel["accepted"]
    assert everything.represented + everything.outside == Case.objects.count() == 30
    for case in Case.objects.exclude(referral_id__isnull=True).select_related("client"):
        referral = Referral.objects.select_related("help_request").get(pk=case.referral_id)
        assert referral.status == ReferralStatus.ACCEPTED and referral.case_id == str(case.pk)
        assert referral.organization_id == case.organization_id
        request = referral.help_request
        assert request.state == RequestState.PLACED and request.subject_id == case.subject_id
        assert request.name == case.client.name and request.created_at < case.opened_at
