from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.matching.greedy import solve_greedy
from amparo.matching.model import (
    Assignment,
    Attorney,
    InfeasibleAssignment,
    Request,
    Result,
    verify,
)
from amparo.matching.solver import _deal, _proportional_quotas, solve
from bench.synthetic import make_instance

from .reference import brute_force, milp_optimum, per_request_lp_bound
from .strategies import attorneys, requests


def score(result: Result) -> tuple[int, int, int]:
    return (result.objective, result.served, -result.interpreter_assignments)


def req(
    id: int,
    priority: int,
    language: str = "es",
    arrival: float = 0.0,
    practice_area: str = "removal",
    area: str = "denver",
) -> Request:
    return Request(id, priority, language, practice_area, area, arrival=arrival)


def atty(
    id: int,
    capacity: int,
    languages: tuple[str, ...] = ("es",),
    interpreters: tuple[str, ...] = (),
    practice_areas: tuple[str, ...] = ("removal",),
    areas: tuple[str, ...] = ("denver",),
) -> Attorney:
    return Attorney(
        id=id,
        organization=1,
        capacity=capacity,
        languages=frozenset(languages),
        practice_areas=frozenset(practice_areas),
        areas=frozenset(areas),
        interpreter_languages=frozenset(interpreters),
    )


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(requests(), attorneys())
def test_optimal_equals_brute_force_and_respects_every_rule(
    rs: list[Request], ats: list[Attorney]
) -> None:
    result = solve(rs, ats)
    # verify() checks capacity, language/interpreter, practice area, area, duplicates.
    assert verify(result.assignments, rs, ats) == result.objective
    assert score(result) == brute_force(rs, ats)
    assert result.bound == pytest.approx(result.objective)
    assert {a.request_id for a in result.assignments}.isdisjoint(result.unassigned)
    assert len(result.assignments) + len(result.unassigned) == len(rs)


@settings(max_examples=300, deadline=None)
@given(requests(), attorneys())
def test_greedy_respects_every_rule_and_is_never_better(
    rs: list[Request], ats: list[Attorney]
) -> None:
    greedy = solve_greedy(rs, ats)
    assert verify(greedy.assignments, rs, ats) == greedy.objective
    assert solve(rs, ats).objective >= greedy.objective


@settings(max_examples=60, deadline=None)
@given(requests(max_size=40, max_priority=90), attorneys(max_size=8, max_capacity=6))
def test_optimal_equals_exact_milp_on_larger_instances(
    rs: list[Request], ats: list[Attorney]
) -> None:
    result = solve(rs, ats)
    verify(result.assignments, rs, ats)
    assert score(result) == milp_optimum(rs, ats)


@settings(max_examples=100, deadline=None)
@given(requests(), attorneys())
def test_without_interpreters_no_assignment_needs_one(
    rs: list[Request], ats: list[Attorney]
) -> None:
    for method in (solve, solve_greedy):
        result = method(rs, ats, allow_interpreter=False)
        verify(result.assignments, rs, ats, allow_interpreter=False)
        assert result.interpreter_assignments == 0


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 60), st.lists(st.integers(0, 12), min_size=1, max_size=8))
def test_proportional_quotas_never_exceed_capacity(total: int, capacities: list[int]) -> None:
    if total > sum(capacities):
        return
    quotas = _proportional_quotas(total, capacities)
    assert sum(quotas) == total
    assert all(0 <= q <= c for q, c in zip(quotas, capacities, strict=True))
    assert sorted(_deal(quotas)) == sorted(i for i, q in enumerate(quotas) for _ in range(q))


# --- behaviour -------------------------------------------------------------------------------


def test_capacity_goes_to_the_most_urgent_then_the_earliest() -> None:
    rs = [
        req(1, 10, arrival=0),
        req(2, 50, arrival=1),
        req(3, 30, arrival=2),
        req(4, 30, arrival=1),
    ]
    result = solve(rs, [atty(100, 2)])
    assert {a.request_id for a in result.assignments} == {2, 4}
    assert result.unassigned == (1, 3)
    assert result.objective == 80


def test_greedy_is_first_come_first_served_to_the_first_attorney_with_room() -> None:
    rs = [req(1, 10, arrival=3), req(2, 50, arrival=5), req(3, 30, arrival=1)]
    result = solve_greedy(rs, [atty(100, 1), atty(101, 1)])
    assert result.assignments == (Assignment(3, 100), Assignment(1, 101))
    assert result.unassigned == (2,)
    assert result.objective == 40
    assert solve(rs, [atty(100, 1), atty(101, 1)]).objective == 80


def test_optimal_routes_around_greedy_blocking() -> None:
    # FCFS gives the only Mam speaker to a Spanish request that a Spanish-only attorney could
    # take; the matcher keeps the Mam speaker for the Mam request.
    rs = [req(1, 10, "es", arrival=0), req(2, 80, "mam", arrival=1)]
    ats = [atty(100, 1, languages=("es", "mam")), atty(101, 1, languages=("es",))]
    greedy = solve_greedy(rs, ats)
    assert greedy.assignments == (Assignment(1, 100),)
    assert greedy.unassigned == (2,)
    result = solve(rs, ats)
    assert set(result.assignments) == {Assignment(1, 101), Assignment(2, 100)}
    assert result.objective == 90


def test_interpreter_only_when_it_serves_more() -> None:
    rs = [req(1, 40, "quc"), req(2, 40, "es")]
    ats = [
        atty(100, 1, languages=("es",), interpreters=("quc",)),
        atty(101, 1, languages=("es", "quc")),
    ]
    result = solve(rs, ats)
    # Both served; the direct K'iche' speaker takes the K'iche' request.
    assert set(result.assignments) == {Assignment(1, 101), Assignment(2, 100)}
    assert result.interpreter_assignments == 0

    alone = solve([req(1, 40, "quc")], [atty(100, 1, languages=("es",), interpreters=("quc",))])
    assert alone.assignments == (Assignment(1, 100, interpreter=True),)
    strict = solve(
        [req(1, 40, "quc")],
        [atty(100, 1, languages=("es",), interpreters=("quc",))],
        allow_interpreter=False,
    )
    assert strict.assignments == () and strict.unassigned == (1,)


def test_priority_zero_requests_are_still_served_when_there_is_room() -> None:
    # With unit demands the servable sets form a matroid, so ties in total priority can only
    # differ in how many priority-0 requests are served: the second criterion serves them.
    result = solve([req(1, 0), req(2, 3), req(3, 0, "en")], [atty(100, 2, languages=("es", "en"))])
    assert (result.objective, result.served) == (3, 2)
    assert 2 in {a.request_id for a in result.assignments}
    assert solve([req(1, 0)], [atty(100, 1)]).served == 1


def test_load_is_spread_in_proportion_to_capacity() -> None:
    rs = [req(i, 5) for i in range(1, 9)]
    result = solve(rs, [atty(100, 4), atty(101, 12)])
    assert result.load() == {100: 2, 101: 6}
    result = solve(rs[:6], [atty(100, 10), atty(101, 10), atty(102, 10)])
    assert result.load() == {100: 2, 101: 2, 102: 2}


def test_practice_area_and_area_are_hard_rules() -> None:
    rs = [
        req(1, 90, practice_area="asylum"),
        req(2, 90, area="facility-aurora"),
        req(3, 5),
    ]
    result = solve(rs, [atty(100, 3)])
    assert result.assignments == (Assignment(3, 100),)
    assert set(result.unassigned) == {1, 2}


def test_empty_and_capacity_free_batches() -> None:
    assert solve([], []).assignments == ()
    assert solve([req(1, 3)], []).unassigned == (1,)
    assert solve([req(1, 3)], [atty(100, 0)]).unassigned == (1,)
    assert solve_greedy([req(1, 3)], [atty(100, 0)]).unassigned == (1,)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        req(1, -1)
    with pytest.raises(ValueError):
        atty(100, -2)
    with pytest.raises(ValueError):
        solve([req(1, 3), req(1, 4)], [atty(100, 1)])
    with pytest.raises(ValueError):
        solve_greedy([req(1, 3)], [atty(100, 1), atty(100, 2)])


def test_verify_catches_every_broken_rule() -> None:
    rs = [req(1, 5), req(2, 5, "mam"), req(3, 5, area="weld")]
    ats = [atty(100, 1, interpreters=("mam",))]
    assert verify([Assignment(1, 100)], rs, ats) == 5
    bad = [
        [Assignment(1, 100), Assignment(1, 100)],  # twice
        [Assignment(1, 100), Assignment(2, 100, interpreter=True)],  # over capacity
        [Assignment(3, 100)],  # wrong area
        [Assignment(2, 100)],  # interpreter flag missing
        [Assignment(9, 100)],  # unknown
    ]
    for assignments in bad:
        with pytest.raises(InfeasibleAssignment):
            verify(assignments, rs, ats)
    with pytest.raises(InfeasibleAssignment):
        verify([Assignment(2, 100, interpreter=True)], rs, ats, allow_interpreter=False)


def test_synthetic_batch_is_optimal_and_beats_fcfs() -> None:
    instance = make_instance(3000, 80, seed=11)
    assert instance == make_instance(3000, 80, seed=11)
    assert instance != make_instance(3000, 80, seed=12)
    result = solve(instance.requests, instance.attorneys)
    greedy = solve_greedy(instance.requests, instance.attorneys)
    assert verify(result.assignments, instance.requests, instance.attorneys) == result.objective
    assert verify(greedy.assignments, instance.requests, instance.attorneys) == greedy.objective
    assert result.bound == result.objective
    assert result.objective > greedy.objective
    # Aggregation is what keeps the LP small: far fewer columns than request x attorney pairs.
    assert result.stats["lp_columns"] < len(instance.requests)


def test_solver_is_deterministic_and_independent_of_attorney_order() -> None:
    instance = make_instance(500, 30, seed=5)
    first = solve(instance.requests, instance.attorneys)
    assert solve(instance.requests, instance.attorneys) == first
    shuffled = list(instance.attorneys)
    random.Random(1).shuffle(shuffled)
    assert score(solve(instance.requests, shuffled)) == score(first)


def test_aggregated_bound_equals_the_per_request_lp_relaxation() -> None:
    # Aggregation into classes loses nothing: the per-request LP (about 20,000 columns here,
    # built without the matcher) has the same optimum as the matcher's integral answer.
    instance = make_instance(1500, 40, seed=3)
    result = solve(instance.requests, instance.attorneys)
    per_request = per_request_lp_bound(instance.requests, instance.attorneys)
    assert per_request == pytest.approx(result.objective, abs=1e-6)
    assert result.bound == pytest.approx(per_request, abs=1e-6)
