from __future__ import annotations

import math
from typing import Any

import pytest

from bench.surge import (
    AMPARO,
    FCFS,
    FCFS_REROUTE,
    TRIAGE_NO_REROUTE,
    SurgeParams,
    make_requests,
    percentile,
    run,
    simulate,
)

POLICIES = (AMPARO, FCFS, FCFS_REROUTE, TRIAGE_NO_REROUTE)
SMALL: dict[str, Any] = {"requests": 400, "providers": 4, "seats_per_provider": 5}


def test_same_seed_same_weekend_other_seed_other_weekend() -> None:
    params = SurgeParams(**SMALL, seed=7)
    assert run(params) == run(params)
    assert run(params) != run(SurgeParams(**SMALL, seed=8))


def test_summary_has_the_benchmark_fields() -> None:
    summary = run(SurgeParams(**SMALL))
    for policy in POLICIES:
        for q in (50, 90):
            value = summary[f"detained_p{q}_hours_{policy}"]
            assert isinstance(value, float) and value >= 0
    params = summary["params"]
    assert isinstance(params, dict)
    assert {k: params[k] for k in SMALL} == SMALL


def test_everyone_answering_and_unlimited_capacity_means_no_wait() -> None:
    params = SurgeParams(requests=500, seats_per_provider=None, no_answer=0.0, seed=3)
    requests = make_requests(params)
    for policy in POLICIES:
        outcome = simulate(params, policy, requests)
        assert outcome.waits == (0.0,) * len(requests)
        assert outcome.referrals == len(requests) and outcome.reroutes == 0
    summary = run(params)
    for policy in POLICIES:
        assert summary[f"detained_p50_hours_{policy}"] == 0.0
        assert summary[f"detained_p90_hours_{policy}"] == 0.0


def test_with_unlimited_capacity_waits_are_whole_slas_or_late_answers() -> None:
    # With room everywhere, only silence makes people wait: under Amparo a whole number of
    # SLAs (24 h detained, 72 h otherwise); under FCFS nothing or one late answer.
    params = SurgeParams(requests=800, seats_per_provider=None, no_answer=0.3, seed=5)
    requests = make_requests(params)
    amparo = simulate(params, AMPARO, requests)
    fcfs = simulate(params, FCFS, requests)
    low, high = params.late_answer_hours
    for r, a, f in zip(requests, amparo.waits, fcfs.waits, strict=True):
        sla = params.sla_detained_hours if r.detained else params.sla_other_hours
        assert a / sla == pytest.approx(round(a / sla), abs=1e-6)
        assert f == 0.0 or low - 1e-6 <= f <= high + 1e-6
    assert amparo.reroutes == amparo.referrals - len(requests) > 0
    assert fcfs.referrals == len(requests) and fcfs.reroutes == 0
    # Common random numbers: the first referral of each request is answered or not alike.
    assert [w == 0.0 for w in amparo.waits] == [w == 0.0 for w in fcfs.waits]


def test_capacity_is_never_exceeded_and_everyone_is_eventually_accepted() -> None:
    params = SurgeParams(requests=600, providers=3, seats_per_provider=4, seed=2)
    requests = make_requests(params)
    for policy in POLICIES:
        outcome = simulate(params, policy, requests)
        assert all(w >= 0 and not math.isnan(w) for w in outcome.waits)
        # Replay the intakes per provider: at no instant more than 4 at once.
        for provider in range(params.providers):
            moments = []
            for r, start, p in zip(requests, outcome.accepted_at, outcome.provider_of, strict=True):
                if p == provider:
                    moments += [(start + r.intake_hours, -1), (start, 1)]
            level = 0
            for _, step in sorted(moments):
                level += step
                assert level <= 4


def test_triage_and_reroute_shorten_the_wait_of_detained_people() -> None:
    params = SurgeParams(seed=0)
    requests = make_requests(params)
    detained = [i for i, r in enumerate(requests) if r.detained]
    amparo_waits = simulate(params, AMPARO, requests).waits
    fcfs_waits = simulate(params, FCFS, requests).waits
    amparo = [amparo_waits[i] for i in detained]
    fcfs = [fcfs_waits[i] for i in detained]
    assert percentile(amparo, 50) < percentile(fcfs, 50)
    assert percentile(amparo, 90) < percentile(fcfs, 90)
    # The SLA bounds what a single silent provider costs a detained person.
    assert percentile(amparo, 90) <= 2 * params.sla_detained_hours


def test_the_ablations_show_triage_drives_the_median_and_the_reroute_the_tail() -> None:
    params = SurgeParams(seed=0)
    requests = make_requests(params)
    detained = [i for i, r in enumerate(requests) if r.detained]

    def waits(policy: str) -> list[float]:
        all_waits = simulate(params, policy, requests).waits
        return [all_waits[i] for i in detained]

    fcfs, triage, reroute, amparo = (
        waits(p) for p in (FCFS, TRIAGE_NO_REROUTE, FCFS_REROUTE, AMPARO)
    )
    assert percentile(triage, 50) < percentile(fcfs, 50)
    assert percentile(reroute, 90) < percentile(fcfs, 90)
    assert percentile(amparo, 90) < percentile(triage, 90)
    # Without a reroute nobody is withdrawn; with it, some are.
    assert simulate(params, TRIAGE_NO_REROUTE, requests).reroutes == 0
    assert simulate(params, FCFS_REROUTE, requests).reroutes > 0


def test_arrivals_stay_inside_the_weekend_and_a_quarter_are_detained() -> None:
    params = SurgeParams(seed=4)
    requests = make_requests(params)
    assert len(requests) == params.requests
    assert all(0 <= r.arrival < params.hours for r in requests)
    assert [r.arrival for r in requests] == sorted(r.arrival for r in requests)
    share = sum(r.detained for r in requests) / len(requests)
    assert 0.2 < share < 0.3
    # Triage puts every detained person ahead of everyone who is not.
    detained = [r.priority for r in requests if r.detained]
    assert min(detained) > max(r.priority for r in requests if not r.detained)


@pytest.mark.parametrize(
    "bad",
    [
        {"no_answer": 1.0},
        {"no_answer": -0.1},
        {"seats_per_provider": 0},
        {"providers": 0},
        {"detained_share": 1.5},
        {"intake_hours": (5.0, 1.0)},
        {"sla_detained_hours": 0},
    ],
)
def test_impossible_parameters_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        SurgeParams(**bad)  # type: ignore[arg-type]


def test_unknown_policy_is_refused() -> None:
    params = SurgeParams(requests=5)
    with pytest.raises(ValueError):
        simulate(params, "lottery", make_requests(params))


def test_percentile_interpolates_like_numpy() -> None:
    assert percentile([3.0, 1.0, 2.0, 4.0], 50) == 2.5
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 90) == pytest.approx(4.6)
    assert percentile([7.0], 90) == 7.0
    assert math.isnan(percentile([], 50))
    assert run(SurgeParams(requests=3, detained_share=0.0))["detained_p50_hours_amparo"] is None
